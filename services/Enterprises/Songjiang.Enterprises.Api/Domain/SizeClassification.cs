namespace Songjiang.Enterprises.Api.Domain;

/// <summary>Enterprise size classes (大型、中型、小型、微型).</summary>
public enum SizeClass
{
    /// <summary>微型.</summary>
    Micro,

    /// <summary>小型.</summary>
    Small,

    /// <summary>中型.</summary>
    Medium,

    /// <summary>大型.</summary>
    Large,
}

/// <summary>
/// Size class from headcount and revenue per the National Bureau of Statistics' 统计上大中小微型企业划分办法（2017）
/// (国统字〔2017〕213号): large, medium and small must meet every listed lower bound, otherwise the class drops one
/// step; what meets none is micro. Industries whose rule uses total assets are classified on the listed
/// indicators available here (revenue or headcount).
/// </summary>
public static class SizeClassification
{
    // Lower bounds per class (large, medium, small): employees and revenue in 万元; null = not an indicator.
    private sealed record Rule(string[] Prefixes, (int? Employees, decimal? Revenue)[] Bounds);

    private static readonly Rule[] Rules =
    [
        new(["A"], [(null, 20000), (null, 500), (null, 50)]),                              // 农、林、牧、渔业
        new(["B", "C", "D"], [(1000, 40000), (300, 2000), (20, 300)]),                     // 工业
        new(["E"], [(null, 80000), (null, 6000), (null, 300)]),                            // 建筑业
        new(["F51"], [(200, 40000), (20, 5000), (5, 1000)]),                               // 批发业
        new(["F52"], [(300, 20000), (50, 500), (10, 100)]),                                // 零售业
        new(["G60"], [(1000, 30000), (300, 2000), (20, 100)]),                             // 邮政业
        new(["G59"], [(200, 30000), (100, 1000), (20, 100)]),                              // 仓储业
        new(["G"], [(1000, 30000), (300, 3000), (20, 200)]),                               // 交通运输业
        new(["H61", "H62"], [(300, 10000), (100, 2000), (10, 100)]),                       // 住宿业、餐饮业
        new(["I63", "I64"], [(2000, 100000), (100, 1000), (10, 100)]),                     // 信息传输业
        new(["I65"], [(300, 10000), (100, 1000), (10, 50)]),                               // 软件和信息技术服务业
        new(["K7010"], [(null, 200000), (null, 1000), (null, 100)]),                       // 房地产开发经营
        new(["K7020"], [(1000, 5000), (300, 1000), (100, 500)]),                           // 物业管理
        new(["L"], [(300, null), (100, null), (10, null)]),                                // 租赁和商务服务业
        new([""], [(300, null), (100, null), (10, null)]),                                 // 其他未列明行业
    ];

    /// <summary>Classifies an enterprise.</summary>
    public static SizeClass Classify(string industryCode, int employees, decimal annualRevenue)
    {
        var rule = Rules.First(r => r.Prefixes.Any(prefix => industryCode.StartsWith(prefix, StringComparison.Ordinal)));
        SizeClass[] classes = [SizeClass.Large, SizeClass.Medium, SizeClass.Small];
        for (var i = 0; i < classes.Length; i++)
        {
            var (minEmployees, minRevenue) = rule.Bounds[i];
            if ((minEmployees is null || employees >= minEmployees) && (minRevenue is null || annualRevenue >= minRevenue))
            {
                return classes[i];
            }
        }
        return SizeClass.Micro;
    }
}
