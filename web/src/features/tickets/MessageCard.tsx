import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import type { Message } from '../../app/types';
import { dateTime } from '../../ui/format';
import { HtmlBody, TextBody } from './MessageBody';

/** What the email pipeline records in a message's `metadata.email.attachments` for each attachment it kept. */
interface Attachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  isInline: boolean;
  contentId: string | null;
}

export const attachmentUrl = (id: string) => `/api/v1/email/attachments/${encodeURIComponent(id)}`;

function attachmentsOf(message: Message): Attachment[] {
  const list = (message.metadata.email as { attachments?: unknown } | undefined)?.attachments;
  return Array.isArray(list) ? (list as Attachment[]).filter((item) => typeof item?.id === 'string' && typeof item.filename === 'string') : [];
}

function bytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${Math.round(size / 1024)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Inline images refer to their attachment as `cid:<content-id>`; the browser cannot resolve that, so
 * each known one points at the attachment's download address instead (the frame allows images from
 * that path only). Returns the HTML and the attachments it now shows in place.
 */
function resolveInlineImages(html: string, attachments: Attachment[]): { html: string; shown: Set<string> } {
  const byContentId = new Map(attachments.filter((item) => item.contentId).map((item) => [item.contentId!.replace(/^<|>$/g, ''), item]));
  const shown = new Set<string>();
  const resolved = html.replace(/src="cid:([^"]+)"/gi, (whole, contentId: string) => {
    const attachment = byContentId.get(contentId);
    if (!attachment) return whole;
    shown.add(attachment.id);
    return `src="${attachmentUrl(attachment.id)}"`;
  });
  return { html: resolved, shown };
}

/** Drawn, not an emoji: Chromium on a server often has no emoji font. */
function PaperClip() {
  return (
    <svg width="12" height="12" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true" style={{ verticalAlign: '-1px' }}>
      <path d="M21 12.5l-8.5 8.5a6 6 0 01-8.5-8.5l9-9a4 4 0 015.7 5.7l-9 9a2 2 0 01-2.8-2.8l8.3-8.3" />
    </svg>
  );
}

function AttachmentList({ attachments }: { attachments: Attachment[] }) {
  if (attachments.length === 0) return null;
  return (
    <Stack gap={2} mt="xs" mb={0} component="ul" p={0} style={{ listStyle: 'none' }} aria-label="Attachments" data-testid="attachments">
      {attachments.map((attachment) => (
        <li key={attachment.id}>
          <Anchor href={attachmentUrl(attachment.id)} download={attachment.filename} size="sm" data-testid="attachment">
            <PaperClip /> {attachment.filename}
          </Anchor>
          <Text span size="xs" c="dimmed"> · {bytes(attachment.size)}</Text>
        </li>
      ))}
    </Stack>
  );
}

/** One message of the conversation: inbound, reply and internal note look different at a glance. */
export function MessageCard({ message, author, dark }: { message: Message; author: string; dark: boolean }) {
  const label = message.kind === 'note' ? 'Internal note' : message.kind === 'outbound' ? 'Reply' : 'Customer';
  const attachments = attachmentsOf(message);
  const body = message.html ? resolveInlineImages(message.html, attachments) : null;
  return (
    <article className="message" data-kind={message.kind} data-testid="message" aria-label={`${label} from ${author}`}>
      <Group justify="space-between" mb={6} gap="xs">
        <Group gap={6}>
          <Text fw={600} size="sm">{author}</Text>
          <Badge size="xs" variant="light" color={message.kind === 'note' ? 'yellow' : message.kind === 'outbound' ? 'blue' : 'gray'}>{label}</Badge>
        </Group>
        <Text size="xs" c="dimmed"><time dateTime={message.createdAt}>{dateTime(message.createdAt)}</time></Text>
      </Group>
      {body ? <HtmlBody html={body.html} dark={dark} /> : <TextBody text={message.text} />}
      <AttachmentList attachments={attachments.filter((attachment) => !body?.shown.has(attachment.id))} />
    </article>
  );
}
