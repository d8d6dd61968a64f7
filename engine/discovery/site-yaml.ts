// The scan's result as a `meters:` list ready to paste into a site file.
import { stringify } from "yaml";
import type { UnitFinding } from "./scan.js";
import { ratio } from "./score.js";

export interface ScanTarget {
  /** TCP host and port; absent for RTU. */
  host?: string;
  port?: number;
  /** One line describing where the scan ran, e.g. "/dev/ttyUSB0 9600 8N1". */
  description: string;
}

function evidenceLine(finding: UnitFinding): string {
  const match = finding.match!;
  const shown = match.evidence
    .filter((e) => e.points > 0)
    .slice(0, 3)
    .map((e) =>
      `${e.quantity} ${typeof e.value === "number" ? Number(e.value.toPrecision(5)) : e.value} ${e.unit}`.trim(),
    );
  const also = finding.alsoPossible.length > 0 ? `; as likely: ${finding.alsoPossible.join(", ")}` : "";
  return `score ${Math.round(ratio(match) * 100)}%${shown.length ? `: ${shown.join(", ")}` : ""}${also}`;
}

export function toSiteYaml(findings: UnitFinding[], target: ScanTarget): string {
  const lines = [
    `# ampx scan ${target.description}: ${findings.length} unit id(s) answered, ${findings.filter((f) => f.match).length} recognised.`,
    "# Check each profile against the meter's display before trusting it (ampx read <site>).",
    "meters:",
  ];
  for (const finding of findings) {
    if (!finding.match) {
      const best = finding.scores[0];
      lines.push(
        `  # unit ${finding.unitId} answers but no profile explains its registers` +
          (best ? ` (closest: ${best.profileId}, ${Math.round(ratio(best) * 100)}%)` : ""),
      );
      continue;
    }
    const serial = finding.match.identification.serial_number;
    const meter: Record<string, unknown> = {
      id: `meter-${finding.unitId}`,
      profile: finding.match.profileId,
      unitId: finding.unitId,
      ...(target.host ? { host: target.host, port: target.port } : {}),
      ...(serial !== undefined ? { serialNumber: String(serial) } : {}),
    };
    const body = stringify([meter])
      .trimEnd()
      .split("\n")
      .map((line) => `  ${line}`);
    body[0] = `${body[0]}  # ${evidenceLine(finding)}`;
    lines.push(...body);
  }
  return `${lines.join("\n")}\n`;
}
