import { z } from 'zod';
import { EmailSchema, lineText, PasswordSchema } from '../../http/schemas.js';

export const MembershipSchema = z.object({ workspaceId: z.string(), name: z.string(), slug: z.string(), role: z.enum(['owner', 'manager', 'agent']), staffId: z.string() });

export const SignInBodySchema = z.object({ email: EmailSchema, password: z.string().min(1).max(200), workspaceId: z.string().max(64).optional() }).strict();

export const SessionSchema = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string(), isInstanceOwner: z.boolean() }),
  workspace: z.object({ id: z.string(), name: z.string(), role: z.enum(['owner', 'manager', 'agent']), staffId: z.string() }).nullable(),
  workspaces: z.array(MembershipSchema),
  csrfToken: z.string().nullable(),
});

export const SwitchWorkspaceBodySchema = z.object({ workspaceId: z.string().max(64) }).strict();
export const ChangePasswordBodySchema = z.object({ currentPassword: z.string().min(1).max(200), newPassword: PasswordSchema }).strict();

export const ScopeSchema = z.enum(['read', 'write', 'admin']);
export const CreateApiTokenBodySchema = z.object({ name: lineText(80), scopes: z.array(ScopeSchema).min(1).max(3) }).strict();
export const ApiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(ScopeSchema),
  staffId: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});
export const CreatedApiTokenSchema = ApiTokenSchema.extend({ token: z.string().describe('Shown once; store it now') });
