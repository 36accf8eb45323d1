import { z } from 'zod';
import { EmailSchema, lineText, PasswordSchema } from '../../http/schemas.js';

export const RoleSchema = z.enum(['owner', 'manager', 'agent']);

export const StaffSchema = z.object({ id: z.string(), userId: z.string(), name: z.string(), email: z.string(), role: RoleSchema, isActive: z.boolean(), teamIds: z.array(z.string()), createdAt: z.string() });
export const UpdateStaffBodySchema = z.object({ role: RoleSchema.optional(), isActive: z.boolean().optional() }).strict();

export const InvitationSchema = z.object({ id: z.string(), email: z.string(), role: RoleSchema, acceptedAt: z.string().nullable(), expiresAt: z.string(), createdAt: z.string() });
export const CreateInvitationBodySchema = z.object({ email: EmailSchema, role: RoleSchema.default('agent') }).strict();
export const CreatedInvitationSchema = InvitationSchema.extend({ acceptUrl: z.string().describe('Single-use link; shown once'), token: z.string() });
export const InvitationPreviewSchema = z.object({ workspaceName: z.string(), email: z.string(), role: RoleSchema, hasAccount: z.boolean() });
export const AcceptInvitationBodySchema = z.object({ token: z.string().min(20).max(200), name: lineText(120).optional(), password: PasswordSchema }).strict();
export const TokenParamsSchema = z.object({ token: z.string().min(1).max(200) }).strict();

export const TeamSchema = z.object({ id: z.string(), name: z.string(), memberIds: z.array(z.string()), createdAt: z.string() });
export const CreateTeamBodySchema = z.object({ name: lineText(80), memberIds: z.array(z.string().max(64)).max(500).default([]) }).strict();
export const UpdateTeamBodySchema = z.object({ name: lineText(80).optional(), memberIds: z.array(z.string().max(64)).max(500).optional() }).strict();
