namespace Songjiang.SharedKernel;

/// <summary>A city of the Yangtze River Delta G60 Science and Technology Innovation Corridor.</summary>
/// <param name="Code">GB/T 2260 administrative division code.</param>
/// <param name="Name">Chinese name.</param>
/// <param name="EnglishName">English name.</param>
/// <param name="Province">Province or municipality.</param>
public sealed record G60City(string Code, string Name, string EnglishName, string Province);

/// <summary>The nine G60 cities.</summary>
public static class G60Cities
{
    /// <summary>Songjiang District, Shanghai: the platform's home.</summary>
    public static readonly G60City Songjiang = new("310117", "松江区", "Songjiang", "上海市");

    /// <summary>All nine cities, Songjiang first.</summary>
    public static readonly IReadOnlyList<G60City> All =
    [
        Songjiang,
        new("330400", "嘉兴市", "Jiaxing", "浙江省"),
        new("330100", "杭州市", "Hangzhou", "浙江省"),
        new("330700", "金华市", "Jinhua", "浙江省"),
        new("320500", "苏州市", "Suzhou", "江苏省"),
        new("330500", "湖州市", "Huzhou", "浙江省"),
        new("341800", "宣城市", "Xuancheng", "安徽省"),
        new("340200", "芜湖市", "Wuhu", "安徽省"),
        new("340100", "合肥市", "Hefei", "安徽省"),
    ];

    /// <summary>Finds a city by its division code.</summary>
    public static G60City? Find(string? code) => All.FirstOrDefault(city => city.Code == code);
}
