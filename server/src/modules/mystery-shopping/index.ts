export { registerMysteryShopRoutes } from './mystery-shop.routes.js';
