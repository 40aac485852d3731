using Microsoft.Extensions.Options;

namespace Sessions.Api.Auth;

internal sealed class ResourceServersOptionsValidator : IValidateOptions<ResourceServersOptions>
{
    public ValidateOptionsResult Validate(string? name, ResourceServersOptions options)
    {
        var failures = options.Validate().ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
