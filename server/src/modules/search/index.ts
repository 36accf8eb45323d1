export { indexDocument, moveDocumentsToTicket, removeDocument, searchDocuments, type SearchHit, type SearchKind } from './search.index.js';
export { registerSearchRoutes } from './search.routes.js';
