// Customer lifetime value from the order history: the BG/NBD model of repeat purchases and dropping
// out (Fader, Hardie and Lee 2005, "Counting your customers the easy way") and the Gamma-Gamma model
// of spend per purchase (Fader, Hardie and Lee 2005, "RFM and CLV"), both fitted by maximum
// likelihood; what they predict per customer; the four value classes. Pure: the store hands in
// each customer's x (repeat purchase days), t_x (time of the last purchase) and T (age), all from
// the first purchase in the chosen unit, and the mean spend of their repeat purchase days.
//
// Numerics: every likelihood is a sum of logs (log-gamma, never gamma), the two terms of the BG/NBD
// likelihood are added in log space, P(alive) is a logistic of a log-ratio, and the hypergeometric
// term of the expected purchases is taken through Euler's transformation, which keeps its
// parameters from growing with x: a customer with a thousand purchases is as safe as one with two.
//
//   bgnbd.ts        BG/NBD: likelihood, fit, P(alive), expected purchases, the next purchase
//   gamma-gamma.ts  Gamma-Gamma: likelihood, fit, expected spend per purchase
//   value.ts        lifetime and historical value, value classes, deciles and summaries
//   model.ts        purchases to the models' data, fits and predictions
//   holdout.ts      predicted against actual purchases in a holdout span
export { bgnbdLogLikelihood, type BgnbdParams, expectedPurchases, expectedWaitIfAlive, type Fit, fitBgnbd, type FitProblem, log2F1, nextPurchaseIfAlive, pAlive, type RepeatData, SHAPE_CAP } from './bgnbd.js';
export { expectedSpend, fitGammaGamma, gammaGammaLogLikelihood, type GammaGammaParams, type SpendData } from './gamma-gamma.js';
export { type ClassSummary, type ClvTerms, historicalValue, lifetimeValue, MONTH_DAYS, mostLikelyLost, summarizeClasses, VALUE_CLASSES, type ValueClass, valueClasses, type ValueClassRules, valueDeciles, valueSoFar } from './value.js';
export { type ClvModel, FIT_SAMPLE, fitModels, MIN_REPEAT_BUYERS, predict, type Predictions, type Purchases, repeatData, repeatSpend, sampleIndices } from './model.js';
export { type HoldoutRow, holdoutTable } from './holdout.js';
