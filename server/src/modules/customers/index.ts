export { registerCustomerRoutes } from './customer.routes.js';
export { createCustomer, findOrCreateCustomerByEmail, mergeCustomers, updateCustomer } from './customer.service.js';
export { findCustomer, findCustomerByEmail, insertCustomer, presentCustomer, requireCustomer, type Customer, type CustomerRow } from './customer.repo.js';
export { bestTier, CustomerSchema, CustomFieldsSchema, standardTier } from './customer.schema.js';
