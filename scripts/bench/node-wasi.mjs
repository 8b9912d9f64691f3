// Runs a wasm command under node:wasi (the baseline of the host benchmark): stdio is the Node
// process's, DIR is preopened as GUEST. Usage: node node-wasi.mjs MODULE DIR GUEST [ARGS...]
import { readFileSync } from "node:fs";
import { WASI } from "node:wasi";

const [module, dir, guest, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: "preview1", args: [module, ...args], env: {}, preopens: { [guest]: dir }, returnOnExit: true });
const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(module)), wasi.getImportObject());
process.exitCode = wasi.start(instance);
