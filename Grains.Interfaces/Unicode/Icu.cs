using System.Runtime.InteropServices;

namespace Sessions.Grains.Unicode;

/// <summary>
/// The two ICU services .NET does not expose: full Unicode case folding (<c>u_strFoldCase</c>) and the UTS #39
/// confusable skeleton (<c>uspoof_getSkeleton</c>). .NET itself already loads the same ICU (libicuuc/libicui18n, e.g.
/// libicu72 on Debian 12, libicu74 on Ubuntu 24.04) for globalization, so this adds no dependency; ICU's exported
/// names carry its major version (<c>u_strFoldCase_72</c>), hence the probing.
/// </summary>
internal static unsafe class Icu
{
    private const int BufferOverflow = 15; // U_BUFFER_OVERFLOW_ERROR; other errors are > 0, warnings < 0
    private static readonly delegate* unmanaged<char*, int, char*, int, uint, int*, int> FoldCaseFunction;
    private static readonly delegate* unmanaged<nint, uint, char*, int, char*, int, int*, int> SkeletonFunction;
    private static readonly nint SpoofChecker;

    static Icu()
    {
        var (common, i18n, suffix) = Load();
        FoldCaseFunction = (delegate* unmanaged<char*, int, char*, int, uint, int*, int>)NativeLibrary.GetExport(common, "u_strFoldCase" + suffix);
        SkeletonFunction = (delegate* unmanaged<nint, uint, char*, int, char*, int, int*, int>)NativeLibrary.GetExport(i18n, "uspoof_getSkeleton" + suffix);
        var open = (delegate* unmanaged<int*, nint>)NativeLibrary.GetExport(i18n, "uspoof_open" + suffix);
        int status = 0;
        SpoofChecker = open(&status);
        if (status > 0 || SpoofChecker == 0)
            throw new InvalidOperationException($"ICU's uspoof_open failed with error {status}.");
        // Never closed: one checker for the process; ICU documents concurrent use of an unchanged checker as safe.
    }

    /// <summary>Unicode default (not Turkic) full case folding: ß → ss, ς → σ, İ → i̇.</summary>
    public static string FoldCase(string value) =>
        Call(value, (source, length, destination, capacity, status) => FoldCaseFunction(destination, capacity, source, length, 0, status));

    /// <summary>The UTS #39 skeleton: two strings are confusable when their skeletons are equal.</summary>
    public static string Skeleton(string value) =>
        Call(value, (source, length, destination, capacity, status) => SkeletonFunction(SpoofChecker, 0, source, length, destination, capacity, status));

    private delegate int Operation(char* source, int length, char* destination, int capacity, int* status);

    private static string Call(string value, Operation operation)
    {
        var capacity = value.Length * 3 + 16;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var buffer = new char[capacity];
            int status = 0;
            int written;
            fixed (char* source = value)
            fixed (char* destination = buffer)
                written = operation(source, value.Length, destination, capacity, &status);
            if (status == BufferOverflow)
            {
                capacity = written + 1;
                continue;
            }
            if (status > 0)
                throw new ArgumentException($"ICU refused the string (error {status}).", nameof(value));
            return new string(buffer, 0, written);
        }
        throw new ArgumentException("ICU's result kept outgrowing its buffer.", nameof(value));
    }

    private static (nint Common, nint I18n, string Suffix) Load()
    {
        if (OperatingSystem.IsWindows() && NativeLibrary.TryLoad("icu.dll", out var windows))
            return (windows, windows, ""); // Windows 10+ ships a combined ICU with unversioned names
        // Newest first, as .NET's own ICU loader does; a bounded range of ICU majors.
        for (var major = 99; major >= 50; major--)
        {
            if (!NativeLibrary.TryLoad($"libicuuc.so.{major}", out var common))
                continue;
            if (!NativeLibrary.TryLoad($"libicui18n.so.{major}", out var i18n))
                continue;
            var suffix = NativeLibrary.TryGetExport(common, $"u_strFoldCase_{major}", out _) ? $"_{major}" : "";
            return (common, i18n, suffix);
        }
        throw new DllNotFoundException("ICU (libicuuc and libicui18n) was not found; install libicu (Debian 12: apt-get install libicu72).");
    }
}
