// Public surface of the ECS engine shared by ecs-deploy, wait-stable and run-migration.
// Other packages and actions import from here only, never from the files directly.
export const ECS_ENGINE = 'ecs' as const;
