// The part of lunar-javascript (which ships no types) that crm uses: the months of a lunar year
// (src/core/calendar.ts) and a solar day's lunar date (its tests check the two agree).
declare module 'lunar-javascript' {
  /** A month of a lunar year; getMonth() is negative for a leap month. */
  export interface LunarMonth {
    getMonth(): number;
    getDayCount(): number;
    getFirstJulianDay(): number;
    isLeap(): boolean;
  }

  export interface LunarYear {
    /** Months 1 to 12 of this lunar year, the leap month (if any) after the ordinary one of its number. */
    getMonthsInYear(): LunarMonth[];
  }

  export interface Lunar {
    getYear(): number;
    /** Negative for a day of a leap month. */
    getMonth(): number;
    getDay(): number;
  }

  export interface Solar {
    /** YYYY-MM-DD. */
    toYmd(): string;
    getLunar(): Lunar;
  }

  export const Solar: {
    fromYmd(year: number, month: number, day: number): Solar;
    fromJulianDay(julianDay: number): Solar;
  };
  export const LunarYear: { fromYear(year: number): LunarYear };
}
