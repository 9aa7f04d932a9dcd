package numa.agent.device;

/**
 * Something that could have been a device and is not, and why: a function of the family's vendor
 * that is not an accelerator (a Huawei NIC beside Ascend NPUs), or a device a visibility variable
 * hides. Shown by {@code topology} and {@code check}, so "where is my device" has an answer.
 *
 * @param physicalIndex the device's physical index when it was one (hidden by a variable), else -1
 * @param what          what it is, e.g. {@code 0000:3d:00.0 (vendor 0x19e5, class 0x020000)}
 * @param why           why it is not a device the rules can name
 */
public record LeftOut(int physicalIndex, String what, String why) {
    @Override
    public String toString() {
        return what + ": " + why;
    }
}
