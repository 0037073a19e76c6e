/**
 * A parser for the GraphQL the actions send: operations (query/mutation, named or anonymous, with
 * variable definitions), fields with aliases and arguments (variables, strings, block strings,
 * numbers, booleans, null, enums, lists, objects) and inline fragments. Named fragments and
 * directives are refused with a parse error rather than misread. Parsing properly (instead of
 * regex-matching `minimizeComment`) is what lets the simulator tell a query from a mutation for the
 * request log and answer only the fields that were asked for.
 */

export type Value =
  | { kind: 'variable'; name: string }
  | { kind: 'string' | 'enum'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'list'; values: Value[] }
  | { kind: 'object'; fields: Record<string, Value> };

export interface Field {
  kind: 'field';
  alias?: string;
  name: string;
  args: Record<string, Value>;
  selections?: Selection[];
}

export interface InlineFragment {
  kind: 'fragment';
  typeCondition?: string;
  selections: Selection[];
}

export type Selection = Field | InlineFragment;

export interface Operation {
  type: 'query' | 'mutation' | 'subscription';
  name?: string;
  variables: { name: string; defaultValue?: Value }[];
  selections: Selection[];
}

export class GraphQLSyntaxError extends Error {}

type Token = { kind: 'punct' | 'name' | 'string' | 'number'; text: string; at: number };

const PUNCTUATORS = new Set(['!', '$', '(', ')', ':', '=', '@', '[', ']', '{', '}', '|', '&']);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '#') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (/[\s,\uFEFF]/.test(c)) {
      i++;
    } else if (source.startsWith('...', i)) {
      tokens.push({ kind: 'punct', text: '...', at: i });
      i += 3;
    } else if (PUNCTUATORS.has(c)) {
      tokens.push({ kind: 'punct', text: c, at: i });
      i++;
    } else if (/[_A-Za-z]/.test(c)) {
      const match = /^[_A-Za-z][_0-9A-Za-z]*/.exec(source.slice(i))!;
      tokens.push({ kind: 'name', text: match[0], at: i });
      i += match[0].length;
    } else if (/[-0-9]/.test(c)) {
      const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(source.slice(i));
      if (!match) throw new GraphQLSyntaxError(`Parse error on "${c}" at ${i}`);
      tokens.push({ kind: 'number', text: match[0], at: i });
      i += match[0].length;
    } else if (source.startsWith('"""', i)) {
      const end = source.indexOf('"""', i + 3);
      if (end < 0) throw new GraphQLSyntaxError(`Unterminated block string at ${i}`);
      tokens.push({ kind: 'string', text: source.slice(i + 3, end).replace(/\\"""/g, '"""'), at: i });
      i = end + 3;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < source.length && source[j] !== '"') {
        if (source[j] === '\n') throw new GraphQLSyntaxError(`Unterminated string at ${i}`);
        if (source[j] === '\\') {
          const escaped = source[j + 1];
          if (escaped === 'u') {
            text += String.fromCharCode(Number.parseInt(source.slice(j + 2, j + 6), 16));
            j += 6;
            continue;
          }
          text += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[escaped ?? ''] ?? escaped ?? '';
          j += 2;
          continue;
        }
        text += source[j];
        j++;
      }
      if (j >= source.length) throw new GraphQLSyntaxError(`Unterminated string at ${i}`);
      tokens.push({ kind: 'string', text, at: i });
      i = j + 1;
    } else {
      throw new GraphQLSyntaxError(`Parse error on "${c}" at ${i}`);
    }
  }
  return tokens;
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  document(): Operation[] {
    const operations: Operation[] = [];
    while (this.peek()) operations.push(this.operation());
    if (operations.length === 0) throw new GraphQLSyntaxError('Parse error: the document has no operation');
    return operations;
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private next(): Token {
    const token = this.tokens[this.index++];
    if (!token) throw new GraphQLSyntaxError('Parse error: unexpected end of document');
    return token;
  }

  private is(text: string): boolean {
    const token = this.peek();
    return token !== undefined && token.kind === 'punct' && token.text === text;
  }

  private expect(text: string): void {
    const token = this.next();
    if (token.kind !== 'punct' || token.text !== text) throw new GraphQLSyntaxError(`Parse error on "${token.text}" at ${token.at}: expected "${text}"`);
  }

  private name(): string {
    const token = this.next();
    if (token.kind !== 'name') throw new GraphQLSyntaxError(`Parse error on "${token.text}" at ${token.at}: expected a name`);
    return token.text;
  }

  private operation(): Operation {
    if (this.is('{')) return { type: 'query', variables: [], selections: this.selectionSet() };
    const keyword = this.name();
    if (keyword === 'fragment') throw new GraphQLSyntaxError('Named fragments are not supported by the simulator');
    if (keyword !== 'query' && keyword !== 'mutation' && keyword !== 'subscription') throw new GraphQLSyntaxError(`Parse error on "${keyword}": expected an operation`);
    const operation: Operation = { type: keyword, variables: [], selections: [] };
    if (this.peek()?.kind === 'name') operation.name = this.name();
    if (this.is('(')) {
      this.expect('(');
      while (!this.is(')')) {
        this.expect('$');
        const name = this.name();
        this.expect(':');
        this.type();
        const definition: { name: string; defaultValue?: Value } = { name };
        if (this.is('=')) {
          this.expect('=');
          definition.defaultValue = this.value();
        }
        operation.variables.push(definition);
      }
      this.expect(')');
    }
    if (this.is('@')) throw new GraphQLSyntaxError('Directives are not supported by the simulator');
    operation.selections = this.selectionSet();
    return operation;
  }

  private type(): void {
    if (this.is('[')) {
      this.expect('[');
      this.type();
      this.expect(']');
    } else {
      this.name();
    }
    if (this.is('!')) this.expect('!');
  }

  private selectionSet(): Selection[] {
    this.expect('{');
    const selections: Selection[] = [];
    while (!this.is('}')) selections.push(this.selection());
    this.expect('}');
    if (selections.length === 0) throw new GraphQLSyntaxError('Parse error: empty selection set');
    return selections;
  }

  private selection(): Selection {
    if (this.is('...')) {
      this.expect('...');
      let typeCondition: string | undefined;
      if (this.peek()?.kind === 'name') {
        if (this.name() !== 'on') throw new GraphQLSyntaxError('Named fragments are not supported by the simulator');
        typeCondition = this.name();
      }
      return { kind: 'fragment', typeCondition, selections: this.selectionSet() };
    }
    let name = this.name();
    let alias: string | undefined;
    if (this.is(':')) {
      this.expect(':');
      alias = name;
      name = this.name();
    }
    const args: Record<string, Value> = {};
    if (this.is('(')) {
      this.expect('(');
      while (!this.is(')')) {
        const arg = this.name();
        this.expect(':');
        args[arg] = this.value();
      }
      this.expect(')');
    }
    if (this.is('@')) throw new GraphQLSyntaxError('Directives are not supported by the simulator');
    const field: Field = { kind: 'field', alias, name, args };
    if (this.is('{')) field.selections = this.selectionSet();
    return field;
  }

  private value(): Value {
    const token = this.next();
    if (token.kind === 'punct') {
      if (token.text === '$') return { kind: 'variable', name: this.name() };
      if (token.text === '[') {
        const values: Value[] = [];
        while (!this.is(']')) values.push(this.value());
        this.expect(']');
        return { kind: 'list', values };
      }
      if (token.text === '{') {
        const fields: Record<string, Value> = {};
        while (!this.is('}')) {
          const name = this.name();
          this.expect(':');
          fields[name] = this.value();
        }
        this.expect('}');
        return { kind: 'object', fields };
      }
      throw new GraphQLSyntaxError(`Parse error on "${token.text}" at ${token.at}: expected a value`);
    }
    if (token.kind === 'string') return { kind: 'string', value: token.text };
    if (token.kind === 'number') return { kind: 'number', value: Number(token.text) };
    if (token.text === 'true' || token.text === 'false') return { kind: 'boolean', value: token.text === 'true' };
    if (token.text === 'null') return { kind: 'null' };
    return { kind: 'enum', value: token.text };
  }
}

export function parseDocument(source: string): Operation[] {
  return new Parser(tokenize(source)).document();
}

/** The operation a request runs: the one named by operationName, or the only one. */
export function selectOperation(operations: Operation[], operationName?: string | null): Operation {
  if (operationName) {
    const found = operations.find((operation) => operation.name === operationName);
    if (!found) throw new GraphQLSyntaxError(`Unknown operation named "${operationName}".`);
    return found;
  }
  if (operations.length > 1) throw new GraphQLSyntaxError('An operation name is required when the document has several operations.');
  return operations[0]!;
}

/** A literal or variable as a plain JS value. */
export function valueOf(value: Value, variables: Record<string, unknown>): unknown {
  switch (value.kind) {
    case 'variable':
      return variables[value.name];
    case 'string':
    case 'enum':
    case 'number':
    case 'boolean':
      return value.value;
    case 'null':
      return null;
    case 'list':
      return value.values.map((item) => valueOf(item, variables));
    case 'object':
      return Object.fromEntries(Object.entries(value.fields).map(([key, item]) => [key, valueOf(item, variables)]));
  }
}
