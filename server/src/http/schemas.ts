import { z } from 'zod';

export const IdSchema = z.string().min(1).max(64).describe('Identifier');
export const IdParamsSchema = z.object({ id: IdSchema }).strict();

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    code: z.string(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .describe('RFC 9457 problem details');

/** Responses every authenticated route can give; merged into each route's response map. */
export const problemResponses = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  422: ProblemSchema,
  429: ProblemSchema,
};

export const EmailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((email) => email.toLowerCase());

export const PasswordSchema = z.string().min(10, 'must be at least 10 characters').max(200);

/** Single-line text: control characters (CR/LF included) are refused so they can never reach a header. */
export const lineText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'must not contain control characters');

export const OkSchema = z.object({ ok: z.literal(true) });
