using System.Net;
using Microsoft.AspNetCore.Components;

namespace Songjiang.Portal.Components.Shared;

/// <summary>Search highlights as markup: everything is encoded, then only the search's own &lt;em&gt; marks are restored.</summary>
public static class Highlight
{
    /// <summary>The text with its highlights.</summary>
    public static MarkupString Of(string? highlighted) =>
        new(WebUtility.HtmlEncode(highlighted ?? "").Replace("&lt;em&gt;", "<mark>", StringComparison.Ordinal).Replace("&lt;/em&gt;", "</mark>", StringComparison.Ordinal));
}
