// A copy of sites/demo.yaml for tests: the same meters and profiles on free ports, a short upload interval,
// and paths inside a temp folder — so a test never collides with a running demo.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sitesDir, schemaDir } from "../../engine/paths.js";
import { freePort } from "../helpers/free-port.js";

export interface DemoSiteCopy {
  file: string;
  sinkPort: number;
  meterPorts: number[];
}

export async function writeDemoSiteCopy(dir: string, uploadInterval = "5s"): Promise<DemoSiteCopy> {
  let yaml = readFileSync(join(sitesDir, "demo.yaml"), "utf8");
  const meterPorts: number[] = [];
  for (const _ of yaml.match(/port: 150\d\d/g) ?? []) meterPorts.push(await freePort());
  let next = 0;
  yaml = yaml.replace(/port: 150\d\d/g, () => `port: ${meterPorts[next++]}`);
  const sinkPort = await freePort();
  yaml = yaml
    .replace("http://127.0.0.1:8090/ingest", `http://127.0.0.1:${sinkPort}/ingest`)
    .replace(/interval: 1m\b/, `interval: ${uploadInterval}`)
    .replace("port: 8080", "port: 0")
    .replace("path: ../data/demo.db", "path: demo.db")
    .replace("$schema=../schema", `$schema=${schemaDir}`);
  const file = join(dir, "demo.yaml");
  writeFileSync(file, yaml);
  return { file, sinkPort, meterPorts };
}
