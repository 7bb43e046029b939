/** Injection token of the orders API's config. */
export const ORDERS_API_CONFIG = Symbol('orders-api:config');
