import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests open real sockets, ptys and browsers: two workers match the 2-core CI machine.
    maxWorkers: 2,
  },
});
