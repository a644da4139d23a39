// A small consumer of the package's types, checked with `tsc --noEmit` (the declarations must be usable).
import init, { Evaluation, evaluate, explain, validate, version } from "karmada-policy/web";
import type { EvaluateAnswer, Input, Report, ResourceResult, Diagnostic } from "karmada-policy/web";

export async function run(yaml: string): Promise<string[]> {
  await init();
  const input: Input = { yaml, featureGates: "PropagationPolicyPreemption=true", positionEncoding: "utf16" };
  const answer: EvaluateAnswer = evaluate(input);
  const lines: string[] = [];
  if (answer.ok && answer.report) {
    const report: Report = answer.report;
    for (const r of report.resources) {
      const policy: string = r.policy ? `${r.policy.kind}/${r.policy.name}` : "<none>";
      const clusters: string = r.placement.map((p) => `${p.cluster}:${p.replicas}`).join(",");
      lines.push(`${r.namespace}/${r.name} ${policy} ${clusters} ${r.error ?? ""}`);
    }
    for (const e of report.timeline) lines.push(`${e.step} ${e.kind} ${e.subject}`);
  }
  const diags: Diagnostic[] = validate(input).diagnostics;
  for (const d of diags) lines.push(`${d.severity} ${d.code} ${d.span?.start.line ?? 0}:${d.span?.start.column ?? 0}`);
  const why = explain(input, { kind: "Deployment", name: "nginx-deploy" });
  const res: ResourceResult | undefined = why.resource ?? undefined;
  if (res?.explain?.scheduler) {
    for (const c of res.explain.scheduler.clusters) lines.push(`${c.name} ${c.filters.map((f) => f.plugin).join("+")}`);
  }
  // An evaluation kept in the module: the report once, then any resource's why-trace on demand.
  const ev = new Evaluation(input);
  const kept: EvaluateAnswer = ev.report();
  for (const r of kept.report?.resources ?? []) {
    const trace = ev.explain({ kind: r.kind, name: r.name, namespace: r.namespace });
    lines.push(`${r.name} ${trace.resource?.explain?.policies.length ?? 0} ${ev.ok}`);
  }
  ev.free();
  lines.push(version().karmada);
  return lines;
}
