// The `ampx` command line. Each command lives in engine/cli/<command>.ts and exports register().
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { packageRoot } from "./paths.js";
import * as demo from "./cli/demo.js";
import * as validate from "./cli/validate.js";
import * as profiles from "./cli/profiles.js";
import * as sink from "./cli/sink.js";
import * as simulate from "./cli/simulate.js";
import * as firmware from "./cli/firmware.js";
import * as budget from "./cli/budget.js";
import * as probe from "./cli/probe.js";
import * as read from "./cli/read.js";
import * as run from "./cli/run.js";
import * as scan from "./cli/scan.js";

const { version } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as {
  version: string;
};

const program = new Command()
  .name("ampx")
  .description("AmpX Energy Gateway: poll Modbus energy meters, show them live, upload 15-minute intervals.")
  .version(version)
  .showHelpAfterError();

const commands: { register(program: Command): void }[] = [
  // one line per command module, in the order `ampx --help` lists them
  demo,
  validate,
  profiles,
  sink,
  simulate,
  firmware,
  budget,
  probe,
  read,
  run,
  scan,
];
for (const command of commands) command.register(program);

await program.parseAsync(process.argv);
