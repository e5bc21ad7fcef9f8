"""Aid in the books: the entries an item's steps post (`postings`: reserve on approval, pay on
sending, refund or write off at the end) and the proof that the aid list and the books agree
(`check`, run by `pompolit aid check`)."""
