// The engine's payload rendering (engine/upload), as the compiler reuses it: the same helpers,
// compile options, template context and aggregate order that renderInterval uses at run time.
import { aggregatePlan } from "../../aggregate/plan.js";
import { meterView, templateContext } from "../../upload/context.js";
import { payloadCompileOptions, payloadHandlebars } from "../../upload/helpers.js";
import { idempotencyKey } from "../../upload/idempotency.js";
import type { PayloadTemplateEnv } from "./compile.js";

/** Mirrors engine/upload/render.ts renderInterval (grouping by mode, key, context); the equality test guards it. */
export function enginePayloadEnv(): PayloadTemplateEnv {
  return {
    handlebars: payloadHandlebars(),
    compileOptions: { ...payloadCompileOptions },
    aggregatePlan,
    buildContext(request) {
      const views = request.meters.map((m) => meterView(m, request.aggregates, request.serialOf(m.id)));
      const meterId = request.mode === "meter" ? (views[0]?.id ?? null) : null;
      const key = idempotencyKey(request.site.id, meterId, request.start);
      return templateContext(
        request.site,
        { start: request.start, end: request.end },
        key,
        views,
        request.mode,
      );
    },
  };
}
