namespace Songjiang.ServiceDefaults.Problems;

/// <summary>
/// The <c>title</c> of each kind of problem, in Chinese: people read it where a page shows no field-level detail. A
/// client tells problems apart by <c>status</c> and <c>errors</c>, never by this text.
/// </summary>
public static class ProblemTitles
{
    /// <summary>400 with field errors.</summary>
    public const string Invalid = "提交的内容有误";

    /// <summary>400 without field errors.</summary>
    public const string BadRequest = "请求有误";

    /// <summary>403.</summary>
    public const string Forbidden = "无权进行此操作";

    /// <summary>404.</summary>
    public const string NotFound = "未找到";

    /// <summary>409.</summary>
    public const string Conflict = "与当前状态冲突";

    /// <summary>413.</summary>
    public const string TooLarge = "请求正文过大";

    /// <summary>415.</summary>
    public const string UnsupportedMediaType = "不支持的内容类型";

    /// <summary>429.</summary>
    public const string TooManyRequests = "请求过于频繁";

    /// <summary>500.</summary>
    public const string Internal = "服务器内部错误";

    /// <summary>503.</summary>
    public const string Unavailable = "服务暂不可用";
}
