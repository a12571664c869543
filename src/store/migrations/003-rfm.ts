// Schema version 3: the RFM scores and segment saved on each customer by `crm rfm --save`, with the
// scheme and the day they were computed for (customer list --segment, tiers and reminders read them).
export const sql = `
ALTER TABLE customers ADD COLUMN rfm_r INTEGER CHECK (rfm_r BETWEEN 1 AND 5);
ALTER TABLE customers ADD COLUMN rfm_f INTEGER CHECK (rfm_f BETWEEN 1 AND 5);
ALTER TABLE customers ADD COLUMN rfm_m INTEGER CHECK (rfm_m BETWEEN 1 AND 5);
-- A segment key (champions, importantValue, ...), or prospect for a customer without orders.
ALTER TABLE customers ADD COLUMN rfm_segment TEXT;
ALTER TABLE customers ADD COLUMN rfm_scheme TEXT;
ALTER TABLE customers ADD COLUMN rfm_as_of TEXT;
CREATE INDEX customers_rfm_segment ON customers (rfm_segment) WHERE rfm_segment IS NOT NULL;
`;
