// Reads a JSON array of Spark SQL texts on standard input and writes, for each, the number of statements the
// grammar finds and its syntax errors, as a JSON array: [{ "statements": 1, "errors": ["line 3:7 ..."] }].
import { register } from 'node:module';

register('./resolve-hooks.mjs', import.meta.url);
const { SparkSQL } = await import('dt-sql-parser');

let input = '';
for await (const chunk of process.stdin) {
  input += chunk;
}

const parser = new SparkSQL();
const results = JSON.parse(input).map((sql) => ({
  statements: parser.splitSQLByStatement(sql)?.length ?? 0,
  errors: parser.validate(sql).map((e) => `line ${e.startLine}:${e.startColumn} ${e.message}`),
}));
process.stdout.write(JSON.stringify(results));
