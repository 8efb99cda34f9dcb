// Compiles each JSON Schema given on the command line with ajv in strict mode (draft 2020-12,
// ECMA-262 regular expressions with the "u" flag, formats from ajv-formats) and prints, as JSON,
// the error of each schema that does not compile (an empty object when all compile).
// An argument `schema.json=data.json` also validates the data file against the schema.
// The keyword that editors read (VS Code's markdownEnumDescriptions) is declared as an annotation.
"use strict";
const fs = require("fs");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const read = (file) => JSON.parse(fs.readFileSync(file, "utf8"));
const errors = {};
for (const argument of process.argv.slice(2)) {
  const [schema, data] = argument.split("=");
  const ajv = new Ajv2020({ strict: true, allErrors: true, unicodeRegExp: true });
  addFormats(ajv);
  ajv.addVocabulary(["markdownEnumDescriptions"]);
  try {
    const validate = ajv.compile(read(schema));
    if (data !== undefined && !validate(read(data))) {
      errors[argument] = ajv.errorsText(validate.errors);
    }
  } catch (error) {
    errors[argument] = String(error.message || error);
  }
}
process.stdout.write(JSON.stringify(errors, null, 2) + "\n");
