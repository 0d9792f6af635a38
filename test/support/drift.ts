/** The drifts the tests apply to the tiny scenario, written once. */
import type { Scenario } from '../../simulator/types';

/** gpt-oss-20b no longer answers Chat on mantle (one cell change). */
export function withoutMantleChat(base: Scenario): Scenario {
  return {
    ...base,
    models: base.models.map((m) => {
      if (m.key !== 'openai.gpt-oss-20b' || !m.mantle) return m;
      const { chat: _chat, ...apis } = m.mantle.apis;
      return { ...m, mantle: { ...m.mantle, apis } };
    }),
  };
}

/** The above, and runtime Chat stops enforcing the guardrail: two confirmed changes, one HIGH. */
export function drifted(base: Scenario): Scenario {
  const lost = withoutMantleChat(base);
  return {
    ...lost,
    guardrailBehaviour: {
      ...lost.guardrailBehaviour,
      runtime: { ...lost.guardrailBehaviour.runtime, chat: 'ignored' },
    },
  };
}
