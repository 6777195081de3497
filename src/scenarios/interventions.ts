// TEMPORARY SCAFFOLD (not committed): replaced by the interventions branch
import { z } from 'zod';
export const interventionSchema = z.discriminatedUnion('type', [z.strictObject({ type: z.literal('redirect-visits'), share: z.number().min(0).max(1), categories: z.array(z.string()).optional(), choice: z.literal('random').default('random') })]);
export type Intervention = z.infer<typeof interventionSchema>;
