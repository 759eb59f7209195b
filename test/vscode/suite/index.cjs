// Runs inside the VS Code extension host (see ../run.mjs): mocha over the real extension.
// mocha 12's CommonJS entry is a namespace: the constructor is its `Mocha` export.
const path = require("node:path");
const mochaModule = require("mocha");

const Mocha = mochaModule.Mocha ?? mochaModule.default ?? mochaModule;

exports.run = function run() {
  const mocha = new Mocha({ ui: "bdd", timeout: 60000, color: false, reporter: "spec" });
  mocha.addFile(path.join(__dirname, "extension.test.cjs"));
  return new Promise((resolve, reject) => mocha.run((failures) => (failures ? reject(new Error(`${failures} failed`)) : resolve())));
};
