namespace Songjiang.Cases.Api.Domain;

/// <summary>A reason an applicant may tick with a grade.</summary>
/// <param name="Code">Its code on the wire.</param>
/// <param name="Label">Its text.</param>
public sealed record RatingReason(string Code, string Label);

/// <summary>
/// What a rating is made of: the five grades with their names, the dimensions each channel rates, and the reasons
/// offered with each grade. Follows 国办发〔2019〕51号 and GB/T 39734/39735-2020; where their text is not at hand the
/// reasons follow the lists the provincial 好差评 systems publish.
/// </summary>
public static class RatingCatalogue
{
    /// <summary>The overall dimension, rated on every channel.</summary>
    public const string Overall = "overall";

    /// <summary>Grades in order, best first, with their wire names and Chinese names.</summary>
    public static readonly IReadOnlyList<(RatingGrade Grade, string Code, string Label)> Grades =
    [
        (RatingGrade.VerySatisfied, "very-satisfied", "非常满意"),
        (RatingGrade.Satisfied, "satisfied", "满意"),
        (RatingGrade.BasicallySatisfied, "basically-satisfied", "基本满意"),
        (RatingGrade.Dissatisfied, "dissatisfied", "不满意"),
        (RatingGrade.VeryDissatisfied, "very-dissatisfied", "非常不满意"),
    ];

    /// <summary>The dimensions each channel rates, overall first.</summary>
    public static readonly IReadOnlyDictionary<RatingChannel, IReadOnlyList<(string Code, string Label)>> Dimensions =
        new Dictionary<RatingChannel, IReadOnlyList<(string, string)>>
        {
            [RatingChannel.Online] = [(Overall, "总体评价"), ("efficiency", "办事效率"), ("guideAccuracy", "办事指南准确性"), ("convenience", "办事便捷程度")],
            [RatingChannel.Window] = [(Overall, "总体评价"), ("efficiency", "办事效率"), ("competence", "业务能力"), ("attitude", "服务态度")],
        };

    private static readonly RatingReason[] Praise =
    [
        new("efficient", "办事效率高"), new("done-in-one-visit", "一次办成、少跑腿"), new("accurate-guide", "办事指南清晰准确"),
        new("convenient", "操作便捷"), new("good-attitude", "服务热情周到"), new("competent", "业务熟练、解答准确"),
    ];

    private static readonly RatingReason[] Reservations =
    [
        new("slow", "办理速度偏慢"), new("guide-unclear", "办事指南不够清晰"), new("inconvenient", "操作不够便捷"),
        new("waited-long", "排队等候时间较长"),
    ];

    private static readonly RatingReason[] Complaints =
    [
        new("overdue-without-reason", "超过时限未办结且未说明理由"), new("conditions-beyond-guide", "在办事指南之外增设条件"),
        new("extra-materials", "要求提供指南以外的材料"), new("repeated-visits", "多次跑动仍未办成"),
        new("poor-attitude", "服务态度差"), new("incompetent", "业务不熟练、解答不准确"),
        new("system-unusable", "系统故障或难以使用"), new("improper-conduct", "吃拿卡要等不当行为"),
    ];

    /// <summary>The reasons offered with a grade.</summary>
    public static IReadOnlyList<RatingReason> ReasonsFor(RatingGrade grade) => grade switch
    {
        RatingGrade.VerySatisfied or RatingGrade.Satisfied => Praise,
        RatingGrade.BasicallySatisfied => Reservations,
        _ => Complaints,
    };

    /// <summary>A grade's wire name.</summary>
    public static string CodeOf(RatingGrade grade) => Grades.Single(g => g.Grade == grade).Code;

    /// <summary>A grade's Chinese name.</summary>
    public static string LabelOf(RatingGrade grade) => Grades.Single(g => g.Grade == grade).Label;

    /// <summary>A grade by its wire name or its Chinese name.</summary>
    public static bool TryParse(string? text, out RatingGrade grade)
    {
        foreach (var (g, code, label) in Grades)
        {
            if (string.Equals(text?.Trim(), code, StringComparison.OrdinalIgnoreCase) || text?.Trim() == label)
            {
                grade = g;
                return true;
            }
        }
        grade = default;
        return false;
    }

    /// <summary>
    /// The grade of a former 1–5 score: 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意 — so the former follow-up
    /// threshold (2 or less) is exactly 差评.
    /// </summary>
    public static RatingGrade FromLegacyScore(int score) => score switch
    {
        >= 5 => RatingGrade.VerySatisfied,
        4 => RatingGrade.Satisfied,
        3 => RatingGrade.BasicallySatisfied,
        2 => RatingGrade.Dissatisfied,
        _ => RatingGrade.VeryDissatisfied,
    };

    /// <summary>The former 1–5 score of a grade (for clients that still read a number).</summary>
    public static int LegacyScoreOf(RatingGrade grade) => 5 - (int)grade;

    /// <summary>A channel's wire name.</summary>
    public static string CodeOf(RatingChannel channel) => channel == RatingChannel.Online ? "online" : "window";

    /// <summary>A channel's Chinese name.</summary>
    public static string LabelOf(RatingChannel channel) => channel == RatingChannel.Online ? "网上评价" : "窗口评价";
}
