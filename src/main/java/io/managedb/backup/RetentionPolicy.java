package io.managedb.backup;

/** How many backups to keep, as restic and borg define it: a backup kept by any rule is kept. */
public record RetentionPolicy(int keepLast, int keepDaily, int keepWeekly, int keepMonthly) {

    public boolean empty() {
        return keepLast <= 0 && keepDaily <= 0 && keepWeekly <= 0 && keepMonthly <= 0;
    }
}
