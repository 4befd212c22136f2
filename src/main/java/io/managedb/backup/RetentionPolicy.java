package io.managedb.backup;

/**
 * How many backups to keep, as restic and borg define it: a backup kept by any rule is kept.
 *
 * @param given whether any rule was given at all (a rule given as 0 keeps nothing by that rule)
 */
public record RetentionPolicy(int keepLast, int keepDaily, int keepWeekly, int keepMonthly, boolean given) {

    public RetentionPolicy(int keepLast, int keepDaily, int keepWeekly, int keepMonthly) {
        this(keepLast, keepDaily, keepWeekly, keepMonthly,
                keepLast != 0 || keepDaily != 0 || keepWeekly != 0 || keepMonthly != 0);
    }

    public boolean empty() {
        return keepLast <= 0 && keepDaily <= 0 && keepWeekly <= 0 && keepMonthly <= 0;
    }
}
