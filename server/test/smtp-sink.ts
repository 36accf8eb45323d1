import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export interface ReceivedMail {
  to: string[];
  messageId: string;
  subject: string;
  text: string;
  headers: Map<string, unknown>;
}

export interface RecordingSmtpSink {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** While false, every message is refused with a temporary 421, as a relay that is down would. */
  accepting: boolean;
  close(): Promise<void>;
}

/** A real SMTP server on loopback standing in for the mail relay; it parses what it accepts. */
export async function startRecordingSmtpSink(): Promise<RecordingSmtpSink> {
  const sink = { received: [] as ReceivedMail[], accepting: true } as RecordingSmtpSink;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (sink.accepting) callback();
      else callback(Object.assign(new Error('Try again later'), { responseCode: 421 }));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          sink.received.push({ to: session.envelope.rcptTo.map((entry) => entry.address), messageId: mail.messageId ?? '', subject: mail.subject ?? '', text: mail.text ?? '', headers: mail.headers });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  sink.port = typeof address === 'object' && address ? address.port : 0;
  sink.url = `smtp://127.0.0.1:${sink.port}`;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}
