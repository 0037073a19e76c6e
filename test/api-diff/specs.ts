/**
 * OpenAPI documents shaped like FastAPI's app.openapi() of the Connect 2.0 API (3.1.0, schemas in
 * components, `$ref`s from the operations), built in code so each test states the change it makes.
 */
export type Spec = Record<string, any>;

export function usersApi(): Spec {
  return {
    openapi: '3.1.0',
    info: { title: 'Connect 2.0 API', version: '2.0.0' },
    paths: {
      '/health': { get: { summary: 'Health', operationId: 'health_health_get', responses: { '200': { description: 'Successful Response', content: { 'application/json': { schema: {} } } } } } },
      '/api/v1/users': {
        get: {
          summary: 'List Users',
          operationId: 'list_users_api_v1_users_get',
          parameters: [{ name: 'limit', in: 'query', required: false, schema: { type: 'integer', default: 50, title: 'Limit' } }],
          responses: { '200': { description: 'Successful Response', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/User' }, title: 'Response List Users' } } } } },
        },
        post: {
          summary: 'Create User',
          operationId: 'create_user_api_v1_users_post',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/UserCreate' } } } },
          responses: { '201': { description: 'Successful Response', content: { 'application/json': { schema: { $ref: '#/components/schemas/User' } } } }, '422': { description: 'Validation Error' } },
        },
      },
    },
    components: {
      schemas: {
        User: { type: 'object', title: 'User', required: ['id', 'email', 'name'], properties: { id: { type: 'integer', title: 'Id' }, email: { type: 'string', title: 'Email' }, name: { type: 'string', title: 'Name' } } },
        UserCreate: { type: 'object', title: 'UserCreate', required: ['email', 'name'], properties: { email: { type: 'string', title: 'Email' }, name: { type: 'string', title: 'Name' }, role: { type: 'string', enum: ['member', 'admin'], title: 'Role' } } },
      },
    },
  };
}

/** `/users` without the `email` field in its answers (the rehearsal's breaking PR). */
export function withoutEmail(spec = usersApi()): Spec {
  const user = spec.components.schemas.User;
  delete user.properties.email;
  user.required = user.required.filter((name: string) => name !== 'email');
  return spec;
}

/** A generated API of `operations` operations (two per path) over 50 schemas, for the bench. */
export function largeApi(operations: number, change?: 'one-operation' | 'shared-schema'): Spec {
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < operations / 2; i++) {
    const ref = { $ref: `#/components/schemas/Model${i % 50}` };
    const id = { name: 'id', in: 'path', required: true, schema: { type: 'integer' } };
    paths[`/api/v1/resource${i}/{id}`] = {
      get: { operationId: `get_${i}`, parameters: [id], responses: { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } } },
      put: { operationId: `put_${i}`, parameters: [id], requestBody: { required: true, content: { 'application/json': { schema: ref } } }, responses: { '200': { description: 'OK' } } },
    };
  }
  const schemas: Record<string, unknown> = {};
  for (let i = 0; i < 50; i++) {
    schemas[`Model${i}`] = { type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer' }, name: { type: 'string' }, note: { type: 'string' } } };
  }
  const spec: Spec = { openapi: '3.1.0', info: { title: 'Large', version: '1' }, paths, components: { schemas } };
  if (change === 'one-operation') delete spec.paths['/api/v1/resource7/{id}'].put;
  if (change === 'shared-schema') (spec.components.schemas.Model0 as Spec).required = ['id'];
  return spec;
}
