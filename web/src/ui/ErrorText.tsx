import { Alert, Text } from '@mantine/core';
import { ApiError } from '../app/api';

/** An API failure as a plain sentence, placed next to whatever failed. */
export function ErrorText({ error, inline = false }: { error: unknown; inline?: boolean }) {
  if (!error) return null;
  const message = error instanceof ApiError ? error.detail : error instanceof Error ? error.message : String(error);
  if (inline) {
    return (
      <Text c="red.8" size="sm" role="alert" className="error-text">
        {message}
      </Text>
    );
  }
  return (
    <Alert color="red" variant="light" role="alert" className="error-text" p="xs">
      <Text c="red.9" size="sm">{message}</Text>
    </Alert>
  );
}

export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.forField(field) : undefined;
}
