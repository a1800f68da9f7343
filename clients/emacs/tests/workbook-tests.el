;;; workbook-tests.el --- ERT tests of workbook.el against the real server  -*- lexical-binding: t; -*-

;;; Commentary:

;; Run: WORKBOOK_BIN=... emacs --batch -Q -L clients/emacs -l clients/emacs/tests/workbook-tests.el \
;;        -f ert-run-tests-batch-and-exit        (or clients/emacs/run-tests.sh)
;; Every test starts `workbook serve --stdio' on a fresh database and checks what reached
;; the database with `workbook call ... --database DB'.

;;; Code:

(require 'ert)
(require 'workbook)

(defvar workbook-test-bin (or (getenv "WORKBOOK_BIN") "workbook")
  "The workbook binary under test.")

(defun workbook-test-cli (target method params)
  "Run `workbook call METHOD PARAMS' on TARGET (a database, or a socket ending in .sock)."
  (with-temp-buffer
    (let ((code (call-process workbook-test-bin nil (list t nil) nil "call" method
                              (json-serialize params)
                              (if (string-suffix-p ".sock" target) "--socket" "--database") target)))
      (unless (zerop code) (error "workbook call %s failed (%d): %s" method code (buffer-string)))
      (goto-char (point-min))
      (json-parse-buffer :object-type 'plist :null-object nil :false-object :json-false))))

(defun workbook-test-wait-for (what predicate &optional seconds)
  "Process output until PREDICATE holds; fail naming WHAT after SECONDS (default 5)."
  (let ((deadline (+ (float-time) (or seconds 5))))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (unless (funcall predicate) (ert-fail (format "timed out waiting for %s" what)))))

(defun workbook-test-accepts (sock)
  "Non-nil when a server accepts connections on SOCK."
  (condition-case nil
      (progn (delete-process (make-network-process :name "workbook-probe" :family 'local :service sock)) t)
    (file-error nil)))

(defmacro workbook-test-with-server (&rest body)
  "Run BODY with a fresh plugin state on a fresh database bound to `db', then clean up."
  (declare (indent 0))
  `(let* ((dir (make-temp-file "workbook-test" t))
          (db (expand-file-name "db.sqlite" dir))
          (workbook-program workbook-test-bin)
          (workbook-database db)
          (workbook-socket nil)
          (workbook--connection nil)
          (workbook--subscription nil)
          (workbook--last-cursor nil)
          (workbook--progress nil)
          (workbook--workbook nil)
          (workbook--documents (make-hash-table :test #'equal)))
     (ignore db)
     (unwind-protect (progn ,@body)
       (workbook-stop)
       (dolist (buf (buffer-list))
         (when (string-prefix-p "*workbook" (buffer-name buf))
           (with-current-buffer buf (set-buffer-modified-p nil))
           (kill-buffer buf)))
       (delete-directory dir t))))

(defun workbook-test-type (text)
  "Replace the answer area of the current buffer with TEXT, as typing would."
  (goto-char workbook--answer-start)
  (delete-region (point) (point-max))
  (insert text))

(ert-deftest workbook-next-opens-prompt-with-read-only-context ()
  "The next prompt opens with its context above, read-only, and an empty answer area."
  (workbook-test-with-server
    (with-current-buffer (workbook-next)
      (should (derived-mode-p 'workbook-answer-mode))
      (should (equal (format "*workbook: %s*" workbook--prompt-id) (buffer-name)))
      (let ((header (buffer-substring-no-properties (point-min) workbook--answer-start)))
        (should (string-search (plist-get (plist-get workbook--view :prompt) :text) header))
        (should (string-search (plist-get (aref (plist-get workbook--view :contexts) 0) :text) header)))
      (should (equal "" (workbook-answer-text)))
      (goto-char (point-min))
      (should-error (insert "x") :type 'text-read-only)
      (goto-char (point-max))
      (insert "typing works here")
      (should (equal "typing works here" (workbook-answer-text))))))

(ert-deftest workbook-save-stores-draft-then-final ()
  "C-c C-c saves exactly the typed text as a draft; C-c C-f marks it final."
  (workbook-test-with-server
    (with-current-buffer (workbook-next)
      (let ((text "Folks who are “erased”,\n\nsecond paragraph — ünïcödé"))
        (workbook-test-type text)
        (execute-kbd-macro (kbd "C-c C-c"))
        (let ((saved (workbook-test-cli db "answers.get" (list :promptId workbook--prompt-id))))
          (should (equal text (plist-get saved :text)))
          (should (equal "draft" (plist-get saved :status)))
          (should (equal "emacs" (plist-get saved :client))))
        (should-not (buffer-modified-p))
        (execute-kbd-macro (kbd "C-c C-f"))
        (let ((saved (workbook-test-cli db "answers.get" (list :promptId workbook--prompt-id))))
          (should (equal "final" (plist-get saved :status)))
          (should (equal 2 (plist-get saved :revision))))
        (should (equal "solidarity 1/22" (workbook-mode-line-string)))
        ;; format-mode-line gives "" in batch mode, so call what the mode line evaluates.
        (should (equal '(:eval (workbook-answer-mode-line)) mode-line-process))
        (should (equal " [final r2] solidarity 1/22" (workbook-answer-mode-line)))))))

(ert-deftest workbook-conflict-shows-both-and-overwrites-nothing ()
  "A save against a newer answer shows both versions; C-u C-c C-c then keeps mine."
  (workbook-test-with-server
    (with-current-buffer (workbook-next)
      (workbook-test-type "first")
      (workbook-save)
      (workbook-test-cli db "answers.save" (list :promptId workbook--prompt-id
                                                 :text "written in the browser" :expectedRevision 1))
      (workbook-test-type "my edit")
      (workbook-save)
      (let ((conflict (get-buffer (format "*workbook conflict: %s*" workbook--prompt-id))))
        (should conflict)
        (with-current-buffer conflict
          (should (string-search "=====\nwritten in the browser\n" (buffer-string)))
          (should (string-match-p "===== yours (unsaved, still in your buffer) =====\nmy edit\n\\'"
                                  (buffer-string)))))
      (should (equal "written in the browser"
                     (plist-get (workbook-test-cli db "answers.get" (list :promptId workbook--prompt-id)) :text)))
      (should (equal "my edit" (workbook-answer-text)))
      (should (buffer-modified-p))
      (let ((current-prefix-arg '(4))) (call-interactively #'workbook-save)) ; C-u C-c C-c
      (let ((saved (workbook-test-cli db "answers.get" (list :promptId workbook--prompt-id))))
        (should (equal '("my edit" 3) (list (plist-get saved :text) (plist-get saved :revision))))))))

(ert-deftest workbook-outline-lists-sections-with-progress ()
  "M-x workbook shows sections with progress and marks; RET opens the prompt at point."
  (workbook-test-with-server
    (let* ((doc (workbook-test-cli db "workbooks.get" '(:workbookId "solidarity")))
           (section (aref (plist-get doc :items) 0))
           (prompt (seq-find (lambda (item) (equal "prompt" (plist-get item :kind))) (plist-get section :items))))
      (workbook-test-cli db "answers.save" (list :promptId (plist-get prompt :id) :text "done" :status "final"))
      (with-current-buffer (workbook)
        (goto-char (point-min))
        (should (looking-at ".* — 1/22 final"))
        (should (re-search-forward (concat (regexp-quote (plist-get section :title)) "  1/4") nil t))
        (let ((match (text-property-search-forward 'workbook-prompt (plist-get prompt :id) t)))
          (should match)
          (goto-char (prop-match-beginning match)))
        (should (looking-at " *\\[x\\] "))
        (with-current-buffer (call-interactively #'workbook-outline-open)
          (should (equal (plist-get prompt :id) workbook--prompt-id))
          (should (equal "done" (workbook-answer-text))))))))

(ert-deftest workbook-live-change-refreshes-open-buffer ()
  "Over a socket, a save by another client refreshes an unmodified buffer, not a modified one."
  (workbook-test-with-server
    (let* ((sock (expand-file-name "live.sock" (file-name-directory db)))
           (server (make-process :name "workbook-test-server" :noquery t :buffer nil
                                 :command (list workbook-test-bin "serve" "--socket" sock "--database" db)))
           (workbook-socket sock))
      (unwind-protect
          (progn
            (workbook-test-wait-for "the socket to accept" (lambda () (workbook-test-accepts sock)))
            (with-current-buffer (workbook-next)
              (workbook-test-wait-for "the subscription" (lambda () workbook--subscription))
              (workbook-test-cli sock "answers.save" (list :promptId workbook--prompt-id :text "typed in the browser"))
              (workbook-test-wait-for "the refresh" (lambda () (equal "typed in the browser" (workbook-answer-text))))
              (should-not (buffer-modified-p))
              (workbook-test-type "my unsaved edit")
              (workbook-test-cli sock "answers.save" (list :promptId workbook--prompt-id
                                                           :text "again" :expectedRevision 1))
              (workbook-test-wait-for "the change" (lambda () workbook--remote))
              (should (equal "my unsaved edit" (workbook-answer-text)))))
        (workbook-stop)
        (delete-process server)))))

;; A helper for the restore test: runs `workbook ARGS... --database DB', checked to succeed.
(defun workbook-test-run (db &rest args)
  "Run `workbook ARGS --database DB' and fail unless it exits 0."
  (with-temp-buffer
    (let ((code (apply #'call-process workbook-test-bin nil t nil (append args (list "--database" db)))))
      (unless (zerop code) (ert-fail (format "workbook %S failed (%d): %s" args code (buffer-string)))))))

(ert-deftest workbook-restore-reloads-open-buffer-and-resubscribes-from-new-head ()
  "A restore under an open buffer reloads it and subscribes again at the restored log's head."
  (workbook-test-with-server
    (let* ((sock (expand-file-name "restore.sock" (file-name-directory db)))
           (backup (expand-file-name "backup.sqlite" (file-name-directory db)))
           (server (make-process :name "workbook-test-server" :noquery t :buffer nil
                                 :command (list workbook-test-bin "serve" "--socket" sock "--database" db)))
           (workbook-socket sock))
      (unwind-protect
          (progn
            (workbook-test-wait-for "the socket to accept" (lambda () (workbook-test-accepts sock)))
            (with-current-buffer (workbook-next)
              ;; Given an open answer saved, backed up, then saved again by another client
              (workbook-test-wait-for "the subscription" (lambda () workbook--subscription))
              (workbook-test-cli sock "answers.save" (list :promptId workbook--prompt-id :text "in the backup"))
              (workbook-test-wait-for "the first save" (lambda () (equal "in the backup" (workbook-answer-text))))
              (workbook-test-run db "backup" backup)
              (workbook-test-cli sock "answers.save" (list :promptId workbook--prompt-id :text "after the backup"))
              (workbook-test-wait-for "the second save" (lambda () (equal "after the backup" (workbook-answer-text))))
              (let ((old (plist-get workbook--subscription :subscriptionId)))
                ;; When another process restores the backup into the served database
                (workbook-test-run db "restore" backup)
                ;; Then the buffer shows the restored answer and a new subscription starts at its head
                (workbook-test-wait-for "the restored answer" (lambda () (equal "in the backup" (workbook-answer-text))))
                (should (equal 1 workbook--revision))
                (workbook-test-wait-for "a new subscription"
                                        (lambda () (and workbook--subscription
                                                        (not (equal old (plist-get workbook--subscription :subscriptionId))))))
                (should (equal 2 (plist-get workbook--subscription :cursor))))
              ;; And live changes of the restored database still arrive
              (workbook-test-cli sock "answers.save" (list :promptId workbook--prompt-id :text "live after the restore"))
              (workbook-test-wait-for "a live change" (lambda () (equal "live after the restore" (workbook-answer-text))))))
        (workbook-stop)
        (delete-process server)))))

(provide 'workbook-tests)
;;; workbook-tests.el ends here
