// The demo shop (`crm demo`): generate.ts streams the customers with their orders and follow-ups;
// person.ts makes who they are (from the tables of ../people.ts), calendar.ts when things happen,
// text.ts what the shop writes about them.
export { generateDemo, MAX_DEMO_CUSTOMERS, type DemoCustomer, type DemoInteraction, type DemoOptions, type DemoOrder } from './generate.js';
