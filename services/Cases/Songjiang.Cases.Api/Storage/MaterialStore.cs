using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Songjiang.ServiceDefaults.Storage;

namespace Songjiang.Cases.Api.Storage;

/// <summary>Where uploaded materials are kept. The file system by default; an object store in production.</summary>
public interface IMaterialStore
{
    /// <summary>
    /// Stores the content under a new key of the store's choosing, ending with <paramref name="extension"/> (the one of
    /// the type detected from the content, never the uploader's), and returns the key.
    /// </summary>
    Task<string> SaveAsync(Stream content, string extension, CancellationToken cancellationToken);

    /// <summary>Opens stored content for reading.</summary>
    /// <exception cref="FileNotFoundException">No such key.</exception>
    Stream OpenRead(string key);

    /// <summary>Removes stored content (e.g. an upload whose record could not be written).</summary>
    void Delete(string key);
}

/// <summary>Upload limits and storage location (section <c>Cases:Materials</c>).</summary>
public sealed class MaterialOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Cases:Materials";

    /// <summary>The largest file accepted, in bytes (default 10 MiB).</summary>
    [Range(1, 1L << 30)]
    public long MaxFileBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// Where content goes: <see cref="MaterialStoreKind.FileSystem"/> (the embedded host) or
    /// <see cref="MaterialStoreKind.Database"/> (any number of replicas); by default the database on PostgreSQL and the
    /// file system on SQLite.
    /// </summary>
    public MaterialStoreKind? Store { get; set; }

    /// <summary>The folder for stored files; relative paths are under <c>Database:DataDirectory</c>.</summary>
    public string Directory { get; set; } = "materials";
}

/// <summary>The kinds of material store.</summary>
public enum MaterialStoreKind
{
    /// <summary>Files in a local folder: one process only.</summary>
    FileSystem,

    /// <summary>Rows in the cases database: shared by every replica.</summary>
    Database,
}

/// <summary>
/// Stores each file once under a random key with the detected type's extension in a private folder (0700, files 0600),
/// writing to a temporary name first. The uploader's file name never reaches the file system.
/// </summary>
public sealed class FileSystemMaterialStore : IMaterialStore
{
    /// <summary>The extensions of the types materials may have.</summary>
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(StringComparer.Ordinal) { ".pdf", ".ofd", ".png", ".jpg" };

    private readonly string _root;

    /// <summary>Creates the store under the configured folder.</summary>
    public FileSystemMaterialStore(IOptions<MaterialOptions> options, IConfiguration configuration)
    {
        var directory = options.Value.Directory;
        _root = Path.IsPathRooted(directory)
            ? directory
            : Path.Combine(configuration["Database:DataDirectory"] ?? "data", directory);
        PrivateFiles.CreateDirectory(_root);
    }

    /// <inheritdoc />
    public async Task<string> SaveAsync(Stream content, string extension, CancellationToken cancellationToken)
    {
        if (!Extensions.Contains(extension))
        {
            throw new ArgumentException($"Not a material extension: {extension}", nameof(extension));
        }
        var key = Guid.CreateVersion7().ToString("N") + extension;
        var path = PathOf(key);
        var temporary = path + ".part";
        await using (var file = PrivateFiles.CreateNew(temporary))
        {
            await content.CopyToAsync(file, cancellationToken);
        }
        File.Move(temporary, path);
        return key;
    }

    /// <inheritdoc />
    public Stream OpenRead(string key) =>
        new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);

    /// <inheritdoc />
    public void Delete(string key) => File.Delete(PathOf(key));

    // Keys are our own hex GUIDs with a known extension (none for files stored before extensions were added); anything
    // else is refused rather than joined into a path.
    private string PathOf(string key) =>
        key.Length >= 32 && key.AsSpan(0, 32).ContainsAnyExcept("0123456789abcdef") is false
            && (key.Length == 32 || Extensions.Contains(key[32..]))
            ? Path.Combine(_root, key)
            : throw new ArgumentException("Not a storage key.", nameof(key));
}
