namespace Songjiang.Workflows.Calendar;

/// <summary>
/// The working-day calendar has no holiday data for a year. Guessing would silently shift statutory deadlines,
/// so the runtime refuses until the State Council notice for that year is added to the data file.
/// </summary>
public sealed class CalendarYearNotCoveredException(int year)
    : WorkflowException($"The working-day calendar has no holiday data for {year}; add that year's State Council notice.")
{
    /// <summary>The year without data.</summary>
    public int Year { get; } = year;
}
