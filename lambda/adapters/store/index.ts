/** The results store: one store logic over DynamoDB or memory (see keys.ts for the table design). */
export { DynamoDbStore, type DynamoDbStoreOptions } from './dynamodb-store';
export { createTableInput, isMissingTable, timeToLiveInput } from './ensure-table';
export { MemoryStore, type MemoryStoreOptions, type StoreStep } from './memory-store';
export { MemoryTable, type TableOp } from './memory-table';
export type { Item, Table } from './table';
export { TableStore } from './table-store';
