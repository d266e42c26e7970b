import type { JsonSchema } from './schema-arbitrary.js';

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: JsonSchema;
}

interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  security?: unknown[];
}

/** One route as the OpenAPI document describes it. */
export interface Operation {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** OpenAPI form: `/api/v1/experiments/{id}`. */
  path: string;
  pathParams: string[];
  query: OpenApiParameter[];
  /** Declared content types with their schema, in the document's order. */
  bodies: { contentType: string; schema: JsonSchema }[];
  authenticated: boolean;
}

/** Every operation of the document, so a new route is covered by the suites without editing them. */
export function listOperations(document: unknown): Operation[] {
  const paths = (document as { paths: Record<string, Record<string, OpenApiOperation>> }).paths;
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const parameters = op.parameters ?? [];
      operations.push({
        method: method.toUpperCase() as Operation['method'],
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters.filter((p) => p.in === 'query'),
        bodies: Object.entries(op.requestBody?.content ?? {}).map(([contentType, c]) => ({
          contentType,
          schema: c.schema,
        })),
        authenticated: (op.security ?? []).length > 0,
      });
    }
  }
  return operations;
}

/** The path with its `{param}`s filled in (values are inserted as given: encode them first). */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => values[name] ?? '');
}
