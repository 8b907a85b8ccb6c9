/** Account stats: publications per week, longest gap, slot streak, time to approval, open alerts. */
export { StatsService } from './stats-service.js';
export { accountStats, weekStarts, percentile, STATS_WEEKS, type StatsInput } from './account-stats.js';
