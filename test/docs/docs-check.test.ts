// The Markdown parsers the docs tests rely on: each must find what it claims and nothing else.
import { describe, expect, it } from "vitest";
import { codeSegments, commandUses, helpCommands, helpFlags, keyMentions, localLinks } from "./docs-check.js";

describe("docs-check parsers", () => {
  it("finds ampx commands and flags in fenced blocks, indented blocks and inline code", () => {
    const text = [
      "Run `ampx probe /dev/ttyUSB0 --unit 3 --address 1010` first.",
      "",
      "```sh",
      "sudo -u ampx ampx validate /etc/ampx/site.yaml --json",
      "npx ampx budget sites/plant.yaml \\",
      "  --meter-response 20 | less --chop-long-lines",
      "chown ampx:ampx /var/lib/ampx",
      "sudo install -m 0640 -o root -g ampx deploy/site.example.yaml /etc/ampx/site.yaml",
      "```",
      "",
      "    node bin/ampx.js simulate sites/demo.yaml --pty",
      "",
      "The user ampx runs it (not a command).",
    ].join("\n");
    const uses = commandUses(codeSegments(text)).map((u) => [u.command, u.flags]);
    expect(uses).toEqual([
      ["validate", ["--json"]],
      ["budget", ["--meter-response"]],
      ["probe", ["--unit", "--address"]],
      ["simulate", ["--pty"]],
    ]);
  });

  it("finds `key:` mentions in inline code only", () => {
    const text =
      "Set `baudRate: 19200` and `transport.port:`; not `http://x`, `Authorization: Bearer`, or\n```yaml\nfoo: 1\n```";
    expect(keyMentions(codeSegments(text))).toEqual(["baudRate", "transport.port"]);
  });

  it("reads links without fragments and skips external ones", () => {
    expect(localLinks("[a](docs/x.md#y) [b](https://e.org) [c](#top) [d](../y.md)")).toEqual([
      "docs/x.md",
      "../y.md",
    ]);
  });

  it("reads commander help", () => {
    const help =
      "Usage: ampx [options] [command]\n\nOptions:\n  -V, --version  v\n  -h, --help  h\n\nCommands:\n  validate [options] <paths...>  check\n  help [command]  help\n";
    expect(helpCommands(help)).toEqual(["validate", "help"]);
    expect([...helpFlags(help)]).toEqual(["--version", "--help"]);
  });
});
