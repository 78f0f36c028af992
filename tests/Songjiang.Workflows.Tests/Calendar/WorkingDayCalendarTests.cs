using Songjiang.Workflows.Calendar;

namespace Songjiang.Workflows.Tests.Calendar;

public sealed class WorkingDayCalendarTests
{
    private static readonly WorkingDayCalendar China = WorkingDayCalendar.China;

    [Theory]
    [InlineData("2025-01-26", true)]  // Sunday make-up day before the Spring Festival
    [InlineData("2025-01-28", false)]
    [InlineData("2025-02-08", true)]  // Saturday make-up day
    [InlineData("2025-09-28", true)]  // Sunday make-up day before National Day
    [InlineData("2025-10-08", false)]
    [InlineData("2025-10-11", true)]
    [InlineData("2026-01-04", true)]
    [InlineData("2026-02-14", true)]
    [InlineData("2026-02-23", false)]
    [InlineData("2026-02-28", true)]
    [InlineData("2026-09-20", true)]
    [InlineData("2026-09-25", false)] // Mid-Autumn
    [InlineData("2026-10-10", true)]
    [InlineData("2026-10-12", true)]
    [InlineData("2026-10-17", false)] // an ordinary Saturday
    public void Knows_holidays_and_make_up_working_days(string date, bool working) =>
        Assert.Equal(working, China.IsWorkingDay(DateOnly.Parse(date)));

    [Theory]
    [InlineData("2025-01-24", 7, "2025-02-10")] // Spring Festival 2025 with make-up Sunday and Saturday
    [InlineData("2025-09-26", 7, "2025-10-13")] // National Day 2025 with make-up Sunday and Saturday
    [InlineData("2026-02-13", 7, "2026-03-02")] // Spring Festival 2026
    [InlineData("2026-09-18", 12, "2026-10-12")] // Mid-Autumn and National Day 2026
    [InlineData("2025-12-30", 3, "2026-01-05")] // across the year with the 2026 New Year make-up Sunday
    public void Adds_working_days_across_holidays(string from, int days, string expected) =>
        Assert.Equal(DateOnly.Parse(expected), China.AddWorkingDays(DateOnly.Parse(from), days));

    [Fact]
    public void Deadline_is_local_midnight_after_the_last_working_day_in_Shanghai()
    {
        var from = new DateTimeOffset(2025, 9, 26, 2, 0, 0, TimeSpan.Zero); // 10:00 in Shanghai
        var due = China.DueAt(from, 4);
        Assert.Equal(new DateTimeOffset(2025, 10, 10, 0, 0, 0, TimeSpan.FromHours(8)), due);
        Assert.Equal(4, China.RemainingWorkingDays(from, due));
    }

    [Fact]
    public void A_year_without_data_is_a_clear_error()
    {
        var e = Assert.Throws<CalendarYearNotCoveredException>(() => China.AddWorkingDays(new DateOnly(2027, 12, 30), 5));
        Assert.Equal(2028, e.Year);
        Assert.Contains("2028", e.Message);
    }

    [Fact]
    public void The_provisional_2027_year_keeps_the_statutory_holidays_so_deadlines_set_in_late_2026_can_be_computed()
    {
        Assert.False(China.IsWorkingDay(new DateOnly(2027, 2, 8)));   // 春节, third day
        Assert.True(China.IsWorkingDay(new DateOnly(2027, 2, 9)));
        Assert.False(China.IsWorkingDay(new DateOnly(2027, 10, 1)));  // 国庆节
        // 60 working days from Monday 30 November 2026 run past New Year and the Spring Festival.
        Assert.Equal(new DateOnly(2027, 2, 25), China.AddWorkingDays(new DateOnly(2026, 11, 30), 60));
    }
}
