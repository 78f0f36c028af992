using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Songjiang.Persistence.Secrets;

/// <summary>Registration of the key-encryption key.</summary>
public static class KeyEncryptionExtensions
{
    /// <summary>Registers <see cref="KeyEncryption"/>; the service refuses to start without a usable key.</summary>
    public static IHostApplicationBuilder AddKeyEncryption(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<KeyEncryptionOptions>()
            .BindConfiguration(KeyEncryptionOptions.SectionName)
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeyEncryptionOptions>, KeyEncryptionValidation>());
        builder.Services.TryAddSingleton<KeyEncryption>();
        return builder;
    }

    private sealed class KeyEncryptionValidation : IValidateOptions<KeyEncryptionOptions>
    {
        public ValidateOptionsResult Validate(string? name, KeyEncryptionOptions options) =>
            KeyEncryption.Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
