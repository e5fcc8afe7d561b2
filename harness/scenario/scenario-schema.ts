import { z } from 'zod';
import type { Override } from './override.ts';
import { bodyShape, expectationSchema, metadataShape, variantMetaShape, type Expectation } from './schema.ts';
import { idSchema } from './vocabulary.ts';

// The file-level schema: metadata + a complete base body + variants (partial overrides). The base is
// validated on its own; each variant is validated after it is merged onto the base.

export const bodySchema = z.object(bodyShape).strict();
export type ScenarioBody = z.output<typeof bodySchema>;
export type ScenarioBodyInput = z.input<typeof bodySchema>;

const overridable = Object.fromEntries(Object.keys(bodyShape).map((k) => [k, z.unknown().optional()])) as {
  [K in keyof typeof bodyShape]: z.ZodOptional<z.ZodUnknown>;
};
export const variantSchema = z.object({ ...variantMetaShape, ...overridable }).strict();

export const scenarioFileSchema = z
  .object({
    ...metadataShape,
    ...bodyShape,
    variants: z.record(idSchema, variantSchema),
  })
  .strict()
  .superRefine((s, ctx) => {
    for (const required of ['incident', 'remediated']) {
      if (!(required in s.variants)) ctx.addIssue({ code: 'custom', path: ['variants', required], message: `required: every scenario has an "${required}" variant` });
    }
    const incident = s.variants.incident;
    if (incident && !(incident.expect && 'breach' in incident.expect)) {
      ctx.addIssue({ code: 'custom', path: ['variants', 'incident', 'expect'], message: 'expected { breach: [slo ids] }: the incident must state which SLOs it breaches' });
    }
    const remediated = s.variants.remediated;
    if (remediated?.expect && !('hold' in remediated.expect)) {
      ctx.addIssue({ code: 'custom', path: ['variants', 'remediated', 'expect'], message: 'expected { hold: "all" }: the remediated variant holds every SLO' });
    }
    for (const [name, v] of Object.entries(s.variants)) {
      if (name !== 'incident' && name !== 'remediated' && !v.expect) {
        ctx.addIssue({ code: 'custom', path: ['variants', name, 'expect'], message: 'required: an extra variant states its expectation ({ breach: [...] } or { hold: "all" })' });
      }
    }
  });

export type ExpectationInput = z.input<typeof expectationSchema>;

/** What a variant may say: any part of the body, overridden; plus a description and expectation. */
export type VariantInput = Override<ScenarioBodyInput> & { description?: string; expect?: ExpectationInput };

export interface ScenarioMetadata {
  id: string;
  title: string;
  postmortem: string;
  summary: string;
}

export type ScenarioInput = ScenarioMetadata &
  ScenarioBodyInput & {
    variants: {
      incident: VariantInput & { expect: { breach: string[] } };
      remediated: VariantInput;
      [variant: string]: VariantInput;
    };
  };

/** One variant, fully resolved and validated: the plan the runtime executes and the verdict judges. */
export interface ResolvedScenario extends ScenarioMetadata, ScenarioBody {
  variant: string;
  variantDescription: string | undefined;
  expectation: Expectation;
  /** The file it came from, when loaded from a file. */
  file: string | undefined;
}
