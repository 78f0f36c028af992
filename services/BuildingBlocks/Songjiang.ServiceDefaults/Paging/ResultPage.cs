using Songjiang.ServiceDefaults.Problems;

namespace Songjiang.ServiceDefaults.Paging;

/// <summary>One page of a list, with the total count for the pager.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items on this page.</param>
/// <param name="Page">The page number, from 1.</param>
/// <param name="PageSize">The page size asked for.</param>
/// <param name="Total">How many items all pages hold.</param>
public sealed record ResultPage<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

/// <summary>
/// A page request within the platform's limits. <see cref="Of"/> refuses a value out of range with a 400 (work
/// lists); <see cref="Clamped"/> brings it into range (browsing lists, where a stray pager value still shows a page).
/// </summary>
/// <param name="Page">The page number, from 1.</param>
/// <param name="PageSize">Items per page.</param>
public readonly record struct PageRequest(int Page, int PageSize)
{
    /// <summary>The largest page a list returns.</summary>
    public const int MaxPageSize = 100;

    /// <summary>How many items precede the page.</summary>
    public int Skip => (Page - 1) * PageSize;

    /// <summary>Checks the query string's values; defaults to the first page of 20.</summary>
    /// <exception cref="ValidationFailedException">A page below 1 or a size outside 1–100.</exception>
    public static PageRequest Of(int? page, int? pageSize)
    {
        var request = new PageRequest(page ?? 1, pageSize ?? 20);
        if (request.Page < 1)
        {
            throw new ValidationFailedException("page", "页码从 1 开始。");
        }
        if (request.PageSize is < 1 or > MaxPageSize)
        {
            throw new ValidationFailedException("pageSize", $"每页条数须在 1 到 {MaxPageSize} 之间。");
        }
        return request;
    }

    /// <summary>The query string's values brought into range: a page below 1 is the first, a size outside 1–100 the nearest bound.</summary>
    public static PageRequest Clamped(int? page, int? pageSize) => new(Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? 20, 1, MaxPageSize));
}
