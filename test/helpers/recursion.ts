/**
 * Recursive functions in a TypeScript source, found with the compiler's parser:
 * each group of functions that call one another in a cycle (a function calling
 * itself is a group of one). Calls are counted by name: plain calls, `this.f()`,
 * and functions passed by name to map/forEach/flatMap/filter/some/every/find.
 */
import * as fs from "node:fs";
import ts from "typescript";

const PASSED_BY_NAME = new Set(["map", "forEach", "flatMap", "filter", "some", "every", "find", "reduce"]);

function nameOf(n: ts.Node): string | undefined {
  if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) && n.name) return n.name.getText();
  if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && (ts.isVariableDeclaration(n.parent) || ts.isPropertyAssignment(n.parent))) return n.parent.name.getText();
  return undefined;
}

/** Function name -> the names it calls. */
function callGraph(file: string): Map<string, Set<string>> {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const graph = new Map<string, Set<string>>();
  const visit = (n: ts.Node, current: string | undefined): void => {
    const name = nameOf(n);
    if (name) {
      current = name;
      if (!graph.has(name)) graph.set(name, new Set());
    }
    if (current && ts.isCallExpression(n)) {
      const calls = graph.get(current)!;
      const e = n.expression;
      if (ts.isIdentifier(e)) calls.add(e.text);
      else if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) calls.add(e.name.text);
      else if (ts.isPropertyAccessExpression(e) && PASSED_BY_NAME.has(e.name.text)) for (const a of n.arguments) if (ts.isIdentifier(a)) calls.add(a.text);
    }
    ts.forEachChild(n, (c) => visit(c, current));
  };
  visit(source, undefined);
  return graph;
}

/** The cycles of the file's call graph (Tarjan's strongly connected components), each as sorted names. */
export function recursiveGroups(file: string): string[][] {
  const graph = callGraph(file);
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  // Iterative Tarjan: the call graph of a file is small, but a test should show the way.
  const connect = (root: string) => {
    const work: { v: string; edges: string[]; i: number }[] = [];
    const open = (v: string) => {
      index.set(v, next);
      low.set(v, next++);
      stack.push(v);
      onStack.add(v);
      work.push({ v, edges: [...(graph.get(v) ?? [])].filter((w) => graph.has(w)), i: 0 });
    };
    open(root);
    while (work.length) {
      const top = work[work.length - 1]!;
      if (top.i < top.edges.length) {
        const w = top.edges[top.i++]!;
        if (!index.has(w)) open(w);
        else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v)!, low.get(top.v)!));
      if (low.get(top.v) !== index.get(top.v)) continue;
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== top.v);
      if (group.length > 1 || graph.get(group[0]!)!.has(group[0]!)) groups.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return groups;
}
