using Iscsi.Tests.Infrastructure;

namespace Iscsi.Tests.Integration;

// The integration matrix: every abstract test class runs once per target, and the class name in a test's full
// name says which target ran it (e.g. Iscsi.Tests.Integration.IstgtLoginTests.Discovery_...). Each collection
// starts its target once per test run; the two collections run in parallel.

[Collection(TgtdCollection.Name)] public sealed class TgtdLoginTests(TgtdTarget target) : LoginTests(target);
[Collection(IstgtCollection.Name)] public sealed class IstgtLoginTests(IstgtTarget target) : LoginTests(target);

[Collection(TgtdCollection.Name)] public sealed class TgtdReadWriteTests(TgtdTarget target) : ReadWriteTests(target);
[Collection(IstgtCollection.Name)] public sealed class IstgtReadWriteTests(IstgtTarget target) : ReadWriteTests(target);

[Collection(TgtdCollection.Name)] public sealed class TgtdDataInBufferTests(TgtdTarget target) : DataInBufferTests(target);
[Collection(IstgtCollection.Name)] public sealed class IstgtDataInBufferTests(IstgtTarget target) : DataInBufferTests(target);

[Collection(TgtdCollection.Name)] public sealed class TgtdTaskManagementTests(TgtdTarget target) : TaskManagementTests(target);
[Collection(IstgtCollection.Name)] public sealed class IstgtTaskManagementTests(IstgtTarget target) : TaskManagementTests(target);

[Collection(TgtdCollection.Name)] public sealed class TgtdLibIscsiCrossCheckTests(TgtdTarget target) : LibIscsiCrossCheckTests(target);
[Collection(IstgtCollection.Name)] public sealed class IstgtLibIscsiCrossCheckTests(IstgtTarget target) : LibIscsiCrossCheckTests(target);

[Collection(TgtdCollection.Name)] public sealed class TgtdTargetSmokeTests(TgtdTarget target) : TargetSmokeTests(target);
[Collection(IstgtCollection.Name)] public sealed class IstgtTargetSmokeTests(IstgtTarget target) : TargetSmokeTests(target);
