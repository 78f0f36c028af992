using System.Text.Json;

namespace Songjiang.Workflows.Calendar;

/// <summary>
/// PRC working days: Monday to Friday, minus public holidays, plus the make-up working days (调休) of the
/// State Council General Office notices. The data is an embedded file, one entry per year with its notice.
/// </summary>
public sealed class WorkingDayCalendar
{
    private const string ResourceName = "Songjiang.Workflows.Calendar.prc-working-days.json";
    private readonly Dictionary<int, YearData> _years;

    private WorkingDayCalendar(Dictionary<int, YearData> years, TimeZoneInfo zone)
    {
        _years = years;
        TimeZone = zone;
    }

    /// <summary>The calendar built from the embedded data file.</summary>
    public static WorkingDayCalendar China { get; } = LoadEmbedded();

    /// <summary>Asia/Shanghai: statutory days start and end at local midnight.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>The years the calendar has data for.</summary>
    public IReadOnlyCollection<int> Years => _years.Keys;

    /// <summary>Whether <paramref name="date"/> is a working day; throws <see cref="CalendarYearNotCoveredException"/> outside the data.</summary>
    public bool IsWorkingDay(DateOnly date)
    {
        if (!_years.TryGetValue(date.Year, out var year)) throw new CalendarYearNotCoveredException(date.Year);
        if (year.Workdays.Contains(date)) return true;
        if (year.Holidays.Contains(date)) return false;
        return date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>The <paramref name="days"/>-th working day after <paramref name="date"/> (the start day itself never counts).</summary>
    public DateOnly AddWorkingDays(DateOnly date, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var current = date;
        while (days > 0)
        {
            current = current.AddDays(1);
            if (IsWorkingDay(current)) days--;
        }

        return current;
    }

    /// <summary>The same local time of day on the <paramref name="days"/>-th working day after <paramref name="instant"/>.</summary>
    public DateTimeOffset AddWorkingDays(DateTimeOffset instant, int days)
    {
        var local = TimeZoneInfo.ConvertTime(instant, TimeZone);
        var date = AddWorkingDays(DateOnly.FromDateTime(local.DateTime), days);
        var target = date.ToDateTime(TimeOnly.FromDateTime(local.DateTime));
        return new DateTimeOffset(target, TimeZone.GetUtcOffset(target));
    }

    /// <summary>Working days after <paramref name="from"/> up to and including <paramref name="to"/>.</summary>
    public int CountWorkingDays(DateOnly from, DateOnly to)
    {
        var count = 0;
        for (var day = from.AddDays(1); day <= to; day = day.AddDays(1))
        {
            if (IsWorkingDay(day)) count++;
        }

        return count;
    }

    /// <summary>The local date of an instant in Asia/Shanghai.</summary>
    public DateOnly LocalDate(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);

    /// <summary>
    /// A deadline of N working days from an instant: the end (next local midnight) of the N-th working day after
    /// the local date of <paramref name="from"/>, counting from the next day as administrative time limits do.
    /// </summary>
    public DateTimeOffset DueAt(DateTimeOffset from, int workingDays)
    {
        var lastDay = AddWorkingDays(LocalDate(from), workingDays).AddDays(1);
        var localMidnight = lastDay.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(localMidnight, TimeZone.GetUtcOffset(localMidnight));
    }

    /// <summary>Working days left until a deadline set by <see cref="DueAt"/>, as seen at <paramref name="now"/>.</summary>
    public int RemainingWorkingDays(DateTimeOffset now, DateTimeOffset dueAt)
    {
        var lastDay = LocalDate(dueAt.AddTicks(-1));
        return CountWorkingDays(LocalDate(now), lastDay);
    }

    private static WorkingDayCalendar LoadEmbedded()
    {
        using var stream = typeof(WorkingDayCalendar).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"missing embedded resource {ResourceName}");
        using var json = JsonDocument.Parse(stream);
        var years = new Dictionary<int, YearData>();
        foreach (var year in json.RootElement.GetProperty("years").EnumerateObject())
        {
            var holidays = new HashSet<DateOnly>();
            foreach (var range in year.Value.GetProperty("holidays").EnumerateArray())
            {
                var first = DateOnly.Parse(range[0].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                var last = DateOnly.Parse(range[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                for (var day = first; day <= last; day = day.AddDays(1)) holidays.Add(day);
            }

            var workdays = year.Value.GetProperty("workdays").EnumerateArray()
                .Select(d => DateOnly.Parse(d.GetString()!, System.Globalization.CultureInfo.InvariantCulture))
                .ToHashSet();
            years.Add(int.Parse(year.Name, System.Globalization.CultureInfo.InvariantCulture), new YearData(holidays, workdays));
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(json.RootElement.GetProperty("timeZone").GetString()!);
        return new WorkingDayCalendar(years, zone);
    }

    private sealed record YearData(HashSet<DateOnly> Holidays, HashSet<DateOnly> Workdays);
}
