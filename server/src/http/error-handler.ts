import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, statusByErrorCode, titleByErrorCode, type ErrorCode, type FieldError } from './errors.js';

export const problemContentType = 'application/problem+json';

function sendProblem(reply: FastifyReply, code: ErrorCode, detail: string, fieldErrors: FieldError[] = []): FastifyReply {
  const status = statusByErrorCode[code];
  return reply
    .code(status)
    .type(problemContentType)
    .send({
      type: `https://raving.dev/problems/${code.replaceAll('_', '-')}`,
      title: titleByErrorCode[code],
      status,
      code,
      detail,
      ...(fieldErrors.length > 0 ? { errors: fieldErrors } : {}),
    });
}

/**
 * Errors Fastify raises before routing (a URL with invalid percent-encoding, for instance) bypass
 * the error handler; given as the `frameworkErrors` option, this makes them problem+json too.
 */
export function answerFrameworkError(error: FastifyError, _request: unknown, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  void reply
    .code(status)
    .type(problemContentType)
    .send({ type: 'about:blank', title: 'Bad request', status, code: error.code ?? 'bad_request', detail: error.message });
}

/** The one place errors become HTTP responses. Anything unexpected is a 500 that hides internals. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) {
      if (error.retryAfterSeconds) reply.header('retry-after', String(error.retryAfterSeconds));
      return sendProblem(reply, error.code, error.message, error.fieldErrors);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fieldErrors = error.validation.map((issue) => {
        const where = String(error.validationContext ?? 'body');
        const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
        return { path: path ? `${where}.${path}` : where, message: issue.message ?? 'is not valid' };
      });
      return sendProblem(reply, 'validation_failed', fieldErrors.map((field) => `${field.path}: ${field.message}`).join('; '), fieldErrors);
    }
    const status = error.statusCode ?? 500;
    if (status === 413) return sendProblem(reply, 'payload_too_large', error.message);
    if (status >= 400 && status < 500) {
      // Fastify's own 4xx (bad JSON, unsupported media type, …): keep its status, speak problem+json.
      return reply
        .code(status)
        .type(problemContentType)
        .send({ type: 'about:blank', title: 'Bad request', status, code: error.code ?? 'bad_request', detail: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .code(500)
      .type(problemContentType)
      .send({ type: 'about:blank', title: 'Internal error', status: 500, code: 'internal_error', detail: 'Something went wrong on our side; it has been logged.' });
  });

  app.setNotFoundHandler((request, reply) => sendProblem(reply, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}.`));
}
