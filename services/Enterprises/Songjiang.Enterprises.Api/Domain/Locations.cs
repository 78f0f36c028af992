using Songjiang.SharedKernel;

namespace Songjiang.Enterprises.Api.Domain;

/// <summary>
/// Where an enterprise is: one of Songjiang's 17 subdistricts and towns (by pinyin code) or a G60 partner city (by
/// its division code).
/// </summary>
public static class Locations
{
    /// <summary>Songjiang's subdistricts (街道) and towns (镇).</summary>
    public static readonly IReadOnlyDictionary<string, string> SongjiangUnits = new Dictionary<string, string>
    {
        ["yueyang"] = "岳阳街道", ["yongfeng"] = "永丰街道", ["fangsong"] = "方松街道", ["zhongshan"] = "中山街道",
        ["guangfulin"] = "广富林街道", ["jiuliting"] = "九里亭街道", ["sijing"] = "泗泾镇", ["sheshan"] = "佘山镇",
        ["chedun"] = "车墩镇", ["xinqiao"] = "新桥镇", ["dongjing"] = "洞泾镇", ["jiuting"] = "九亭镇",
        ["maogang"] = "泖港镇", ["shihudang"] = "石湖荡镇", ["xinbang"] = "新浜镇", ["yexie"] = "叶榭镇",
        ["xiaokunshan"] = "小昆山镇",
    };

    /// <summary>Whether a location code is known.</summary>
    public static bool IsKnown(string? code) =>
        code is not null && (SongjiangUnits.ContainsKey(code) || (code != G60Cities.Songjiang.Code && G60Cities.Find(code) is not null));

    /// <summary>The readable name of a location code.</summary>
    public static string NameOf(string code) =>
        SongjiangUnits.TryGetValue(code, out var unit) ? "松江区" + unit : G60Cities.Find(code)?.Name ?? code;
}
